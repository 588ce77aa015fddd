using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery.Tests;

public sealed class DiscoverySchemaValidatorSpec
{
    private readonly DiscoverySchemaValidator _validator = DiscoverySchemaValidator.BigQueryV2;

    [Fact]
    public void A_valid_job_should_have_no_violations()
    {
        var job = JsonNode.Parse("""
            {"jobReference":{"projectId":"p","jobId":"j1","location":"EU"},
             "configuration":{"load":{"destinationTable":{"projectId":"p","datasetId":"d","tableId":"t"},
               "sourceFormat":"NEWLINE_DELIMITED_JSON","maxBadRecords":3,"schemaUpdateOptions":["ALLOW_FIELD_ADDITION"]},
               "jobTimeoutMs":"60000"},
             "statistics":{"creationTime":"1735725600000"},"status":{"state":"DONE"},"decimalTargetTypes":null}
            """.Replace("\"decimalTargetTypes\":null", "\"etag\":null", StringComparison.Ordinal));

        Assert.Empty(_validator.Validate("Job", job));
    }

    [Fact]
    public void An_int64_sent_as_a_number_should_be_a_violation()
    {
        var job = JsonNode.Parse("""{"statistics":{"creationTime":1735725600000}}""");

        var violation = Assert.Single(_validator.Validate("Job", job));

        Assert.Contains("$.statistics.creationTime", violation, StringComparison.Ordinal);
        Assert.Contains("int64", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_int32_sent_as_a_string_should_be_a_violation()
    {
        var job = JsonNode.Parse("""{"configuration":{"load":{"maxBadRecords":"3"}}}""");

        Assert.Contains("$.configuration.load.maxBadRecords", Assert.Single(_validator.Validate("Job", job)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_property_should_be_a_violation()
    {
        var request = JsonNode.Parse("""{"rows":[{"insertId":"1","json":{"a":1}}],"skipInvalidRow":true}""");

        Assert.Equal(["$.skipInvalidRow: unknown property"], _validator.Validate("TableDataInsertAllRequest", request));
    }

    [Fact]
    public void A_value_outside_an_enum_should_be_a_violation()
    {
        var request = JsonNode.Parse("""{"jobCreationMode":"JOB_CREATION_SOMETIMES"}""");

        Assert.Contains("enum", Assert.Single(_validator.Validate("QueryRequest", request)), StringComparison.Ordinal);
    }

    [Fact]
    public void Free_form_row_json_should_be_accepted_through_additionalProperties()
    {
        var request = JsonNode.Parse("""{"rows":[{"json":{"anything":[1,{"x":"y"}],"n":null}}]}""");

        Assert.Empty(_validator.Validate("TableDataInsertAllRequest", request));
    }
}
