using Aero.Streams.Extract;
using Akka.Streams;
using Akka.Streams.TestKit;
using Xunit;

namespace Aero.Streams.Tests.Extract;

public sealed class StreamingSpec : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void The_source_should_emit_only_on_demand_and_close_the_file_when_cancelled()
    {
        var path = ExtractTestFiles.Sample("flights-5k.json");
        var probe = FlightFileSource.Create(path, FileSourceSettings.Default).RunWith(this.SinkProbe<ExtractedRecord>(), Sys.Materializer());

        probe.Request(2);
        Assert.Equal(0, probe.ExpectNext().Location.Position);
        Assert.Equal(1, probe.ExpectNext().Location.Position);
        probe.Request(1);
        Assert.Equal(2, probe.ExpectNext().Location.Position);
        probe.Cancel();

        if (OperatingSystem.IsLinux())
        {
            // Cancelling stops the reader, which disposes the file: no descriptor of this process still points at it.
            AwaitAssert(() => Assert.DoesNotContain(
                new DirectoryInfo("/proc/self/fd").EnumerateFiles().Select(fd => fd.LinkTarget),
                target => target == Path.GetFullPath(path)));
        }
    }
}
