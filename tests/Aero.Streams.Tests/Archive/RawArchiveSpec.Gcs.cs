using System.Net;
using System.Text;
using Aero.FakeGcs;
using Aero.Streams.Archive;
using Xunit;

namespace Aero.Streams.Tests.Archive;

/// <summary>The raw archive in a GCS bucket (issue 20 §1.3), against the fake JSON API at the wire level.</summary>
public sealed partial class RawArchiveSpec
{
    private const string Bucket = "aero-archive-spec";

    private async Task<GcsArchiveTarget> GcsTarget(FakeGcsServer gcs, int attempts = 5) =>
        await GcsArchiveTarget.CreateAsync(
            GcsArchiveSettings.Create().WithBucket(Bucket, gcs.Endpoint, "spec-token") with { Prefix = "lake/", Attempts = attempts }, _directory, CancellationToken.None);

    // issue 20 §1.3: the archive into a bucket, through 429 and 503 answers, every offset once, resumed from the listing.
    [Fact]
    public async Task Archive_to_GCS_should_write_every_offset_once_and_resume_from_the_buckets_listing()
    {
        await using var gcs = await FakeGcsServer.StartAsync();
        gcs.Faults.Enqueue(new GcsFault("PUT", "/upload/", 503));
        gcs.Faults.Enqueue(new GcsFault("POST", "/upload/", 429));
        var logEnd = ProduceFlights(0, 2_000);
        var target = await GcsTarget(gcs);
        await ArchiveUntil(target, logEnd);

        logEnd = ProduceFlights(2_000, 400);
        await ArchiveUntil(await GcsTarget(gcs), logEnd, group: "another-archive-group");

        var files = await target.ListAsync(CancellationToken.None);
        AssertTiles(files, logEnd);
        Assert.Empty(gcs.Faults);
        Assert.Equal(files.Select(f => "lake/" + f.RelativePath).Order(StringComparer.Ordinal), gcs.Objects(Bucket).Keys.Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "_incoming")));
        var records = 0L;
        foreach (var file in files)
        {
            records += await ArchiveReader.CountAsync(target, file, CancellationToken.None);
        }

        Assert.Equal(2_400, records);
    }

    // issue 20 §1.2, §1.3: a crash mid-upload leaves no object; the next owner uploads the range, once.
    [Fact]
    public async Task A_crash_mid_upload_to_GCS_should_leave_nothing_visible_and_no_range_twice()
    {
        await using var gcs = await FakeGcsServer.StartAsync();
        var logEnd = ProduceFlights(0, 600);
        var crashing = await GcsTarget(gcs, attempts: 1);
        var upload = await crashing.BeginAsync(Topic, 0, CancellationToken.None);
        await upload.Stream.WriteAsync(new byte[300_000]);
        // Every request of the upload after it began is cut off: the client library resumes a session itself, so
        // only a session that never finishes stands for a writer that died mid-upload.
        for (var i = 0; i < 50; i++)
        {
            gcs.Faults.Enqueue(new GcsFault("PUT", "/upload/", 0, CutOff: true));
        }

        await Assert.ThrowsAnyAsync<Exception>(() => upload.PublishAsync(new ArchiveFile(new DateOnly(2001, 1, 1), Topic, 0, 0, 199), CancellationToken.None));
        gcs.Faults.Clear();

        Assert.Equal(1, gcs.OpenSessions);
        Assert.Empty(gcs.Objects(Bucket));
        Assert.Empty(await crashing.ListAsync(CancellationToken.None));
        await ArchiveUntil(await GcsTarget(gcs), logEnd);
        AssertTiles(await crashing.ListAsync(CancellationToken.None), logEnd);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "_incoming")));
    }

    // issue 20 §1.3: ifGenerationMatch=0 never overwrites; a 412 is the same range (the name is the range), left as it was.
    [Fact]
    public async Task Publishing_a_range_already_in_the_bucket_should_be_refused_with_412_and_leave_the_first_copy()
    {
        await using var gcs = await FakeGcsServer.StartAsync();
        var target = await GcsTarget(gcs);
        var file = new ArchiveFile(new DateOnly(2001, 1, 1), Topic, 2, 100, 199);

        var first = await PublishAsync(target, file, "first copy");
        var second = await PublishAsync(target, file, "second copy");

        Assert.True(first);
        Assert.False(second);
        Assert.Equal("first copy", Encoding.UTF8.GetString(gcs.Objects(Bucket)["lake/" + file.RelativePath].Data));
        Assert.Contains(gcs.Requests, request => request.Contains("ifGenerationMatch=0", StringComparison.Ordinal));
        Assert.Equal([file], await target.ListAsync(CancellationToken.None));
    }

    // issue 20 §1.3: the fake itself, by plain HTTP: multipart and resumable uploads, invisible until finalized, 412, 404.
    [Fact]
    public async Task The_fake_GCS_should_take_multipart_and_resumable_uploads_and_refuse_a_taken_name_with_412()
    {
        await using var gcs = await FakeGcsServer.StartAsync();
        using var http = new HttpClient { BaseAddress = gcs.Endpoint };

        using var multipart = new MultipartContent("related");
        multipart.Add(new StringContent("""{"name":"a/one"}""", Encoding.UTF8, "application/json"));
        multipart.Add(new ByteArrayContent("ONE"u8.ToArray()));
        using var created = await http.PostAsync($"upload/storage/v1/b/{Bucket}/o?uploadType=multipart&ifGenerationMatch=0", multipart);
        using var taken = await http.PostAsync($"upload/storage/v1/b/{Bucket}/o?uploadType=multipart&ifGenerationMatch=0", Multipart("a/one", "AGAIN"));

        using var begun = await http.PostAsync($"upload/storage/v1/b/{Bucket}/o?uploadType=resumable&name=a/two&ifGenerationMatch=0", null);
        var session = begun.Headers.Location!;
        using var part = await Put(http, session, "TW", "bytes 0-1/*");
        var listedMidway = gcs.Objects(Bucket).Keys.ToList();
        using var last = await Put(http, session, "O", "bytes 2-2/3");
        using var media = await http.GetAsync($"storage/v1/b/{Bucket}/o/{Uri.EscapeDataString("a/two")}?alt=media");
        using var missing = await http.GetAsync($"storage/v1/b/{Bucket}/o/nothing?alt=media");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, taken.StatusCode);
        Assert.Equal((HttpStatusCode)308, part.StatusCode);
        Assert.Equal(["a/one"], listedMidway);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal("TWO", await media.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<bool> PublishAsync(GcsArchiveTarget target, ArchiveFile file, string content)
    {
        await using var upload = await target.BeginAsync(file.Topic, file.Partition, CancellationToken.None);
        await upload.Stream.WriteAsync(Encoding.UTF8.GetBytes(content));
        return await upload.PublishAsync(file, CancellationToken.None);
    }

    private static MultipartContent Multipart(string name, string content) =>
        new("related") { new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, "application/json"), new StringContent(content) };

    private static Task<HttpResponseMessage> Put(HttpClient http, Uri session, string content, string range)
    {
        var body = new StringContent(content);
        body.Headers.TryAddWithoutValidation("Content-Range", range);
        return http.PutAsync(session, body);
    }
}
