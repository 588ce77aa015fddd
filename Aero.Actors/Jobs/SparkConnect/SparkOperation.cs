using Apache.Arrow;
using Spark.Connect;

namespace Aero.Actors.Jobs.SparkConnect;

/// <summary>
/// One operation's responses as they arrive, over however many stream segments: the reattach cursor (the last
/// response id), the rows decoded so far, and the checks that nothing was lost or repeated on the way: every
/// response id once, each batch's rows as declared, each batch starting where the previous one ended.
/// </summary>
internal sealed class SparkOperation(string id, string tag)
{
    private readonly HashSet<string> _responseIds = [];
    private readonly ArrowRows _rows = new();

    public string Id { get; } = id;

    public string Tag { get; } = tag;

    public string? LastResponseId { get; private set; }

    public bool Complete { get; private set; }

    public int Responses => _responseIds.Count;

    public long RowCount { get; private set; }

    /// <summary>A query handed back by a SQL command, to run as a relation of its own.</summary>
    public Relation? Deferred { get; private set; }

    public void Receive(ExecutePlanResponse response)
    {
        if (response.OperationId.Length > 0 && response.OperationId != Id)
        {
            throw new InvalidDataException($"Spark Connect answered for operation {response.OperationId} on operation {Id}'s stream.");
        }

        if (!_responseIds.Add(response.ResponseId))
        {
            throw new InvalidDataException($"Spark Connect sent response {response.ResponseId} of operation {Id} twice.");
        }

        LastResponseId = response.ResponseId;
        switch (response.ResponseTypeCase)
        {
            case ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch:
                AddBatch(response.ArrowBatch);
                break;
            case ExecutePlanResponse.ResponseTypeOneofCase.SqlCommandResult:
                AddCommandResult(response.SqlCommandResult.Relation);
                break;
            case ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete:
                Complete = true;
                break;
            default:
                // Schema, metrics and progress responses carry nothing Aero keeps; they still move the cursor.
                break;
        }
    }

    public SparkSqlResult Result() => new(Id, _rows.Schema ?? new Schema([], null), _rows.Rows, RowCount);

    private void AddBatch(ExecutePlanResponse.Types.ArrowBatch batch)
    {
        if (batch.HasStartOffset && batch.StartOffset != RowCount)
        {
            throw new InvalidDataException($"Spark Connect's batch for operation {Id} starts at row {batch.StartOffset}, but {RowCount} rows came before it: rows were lost or repeated.");
        }

        var rows = _rows.Add(batch.Data.Memory);
        if (rows != batch.RowCount)
        {
            throw new InvalidDataException($"Spark Connect's batch for operation {Id} declared {batch.RowCount} rows but held {rows}.");
        }

        RowCount += rows;
    }

    private void AddCommandResult(Relation relation)
    {
        if (relation.RelTypeCase == Relation.RelTypeOneofCase.LocalRelation && relation.LocalRelation.HasData)
        {
            RowCount += _rows.Add(relation.LocalRelation.Data.Memory);
        }
        else if (relation.RelTypeCase == Relation.RelTypeOneofCase.Sql)
        {
            Deferred = relation;
        }
    }
}
