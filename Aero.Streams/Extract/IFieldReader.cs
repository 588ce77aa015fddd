namespace Aero.Streams.Extract;

/// <summary>Gives the fields of the current input record by the name the file uses.</summary>
internal interface IFieldReader
{
    FieldValue Get(string name);
}
