namespace Aero.Streams.Extract;

internal enum FileFormat
{
    Csv,
    JsonArray,
    Ndjson,
    Parquet,
}
