namespace Aero.Streams.Extract;

/// <summary>Renders the original bytes of a row that has none of its own (a Parquet row), when they are asked for.</summary>
internal interface IOriginalRenderer
{
    byte[] Render(int row);
}
