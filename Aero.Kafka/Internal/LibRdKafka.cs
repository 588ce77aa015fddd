using System.Runtime.InteropServices;
using System.Text;

namespace Aero.Kafka.Internal;

/// <summary>
/// The librdkafka C functions Confluent.Kafka does not expose that a node needs: a bare client handle and the cluster
/// id it sees. They are bound from the very native library file Confluent.Kafka loaded, so both sides share one
/// librdkafka (on Debian 12 that is the package's centos8 build, the default one needs libsasl2.so.3). Called through
/// marshalled delegates, so this assembly needs no unsafe code; the embedded Kafka binds its mock cluster functions
/// through <see cref="Export"/>.
/// </summary>
internal static class LibRdKafka
{
    private const int ErrorStringSize = 512;

    private static readonly Lazy<Exports> Functions = new(Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    private delegate nint ConfNewFunction();

    private delegate int ConfSetFunction(nint conf, byte[] name, byte[] value, [In, Out] byte[] error, nuint errorSize);

    private delegate nint NewFunction(int type, nint conf, [In, Out] byte[] error, nuint errorSize);

    private delegate void DestroyFunction(nint client);

    private delegate nint ClusterIdFunction(nint client, int timeoutMilliseconds);

    private delegate void MemFreeFunction(nint client, nint pointer);

    /// <summary>The path of the librdkafka file Confluent.Kafka loaded.</summary>
    internal static string LibraryPath => Functions.Value.LibraryPath;

    /// <summary>The address of a librdkafka function, from the file Confluent.Kafka loaded.</summary>
    internal static nint Export(string name) =>
        NativeLibrary.TryGetExport(Functions.Value.Library, name, out var address)
            ? address
            : throw new EntryPointNotFoundException($"{LibraryPath} does not export {name}.");

    /// <summary>Creates a bare librdkafka client handle (type 0 = producer) from librdkafka properties.</summary>
    internal static nint NewClient(IEnumerable<KeyValuePair<string, string>> properties)
    {
        var native = Functions.Value;
        var conf = native.ConfNew();
        var error = new byte[ErrorStringSize];
        foreach (var (key, value) in properties)
        {
            if (native.ConfSet(conf, Utf8Z(key), Utf8Z(value), error, ErrorStringSize) != 0)
            {
                // The value is left out on purpose: it may be a password.
                throw new ArgumentException($"librdkafka refused property '{key}': {ErrorText(error)}");
            }
        }

        var handle = native.New(0, conf, error, ErrorStringSize);
        return handle != 0 ? handle : throw new InvalidOperationException($"librdkafka could not create a client: {ErrorText(error)}");
    }

    internal static void DestroyClient(nint client) => Functions.Value.Destroy(client);

    /// <summary>The cluster id the client sees, or null when no broker answered within the timeout.</summary>
    internal static string? ClusterId(nint client, TimeSpan timeout)
    {
        var native = Functions.Value;
        var id = native.ClusterId(client, (int)timeout.TotalMilliseconds);
        if (id == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(id);
        }
        finally
        {
            native.MemFree(client, id);
        }
    }

    /// <summary>A string as librdkafka takes it: UTF-8, NUL-terminated.</summary>
    internal static byte[] Utf8Z(string value) => Encoding.UTF8.GetBytes(value + '\0');

    private static string ErrorText(byte[] error) => Encoding.UTF8.GetString(error, 0, Math.Max(0, Array.IndexOf(error, (byte)0)));

    private static Exports Bind()
    {
        // Make Confluent.Kafka load its native library first, then bind to the same file.
        _ = Confluent.Kafka.Library.Version;
        var path = LoadedLibraryPath()
            ?? throw new InvalidOperationException("Confluent.Kafka loaded no librdkafka that can be found in /proc/self/maps.");
        var library = NativeLibrary.Load(path);
        T Function<T>(string name) where T : Delegate => NativeLibrary.TryGetExport(library, name, out var address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : throw new EntryPointNotFoundException($"{path} does not export {name}.");

        return new Exports(
            library,
            path,
            Function<ConfNewFunction>("rd_kafka_conf_new"),
            Function<ConfSetFunction>("rd_kafka_conf_set"),
            Function<NewFunction>("rd_kafka_new"),
            Function<DestroyFunction>("rd_kafka_destroy"),
            Function<ClusterIdFunction>("rd_kafka_clusterid"),
            Function<MemFreeFunction>("rd_kafka_mem_free"));
    }

    private static string? LoadedLibraryPath()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        return File.ReadLines(maps)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6)
            .Select(fields => string.Join(' ', fields.Skip(5)))
            .FirstOrDefault(path => Path.GetFileName(path).Contains("librdkafka", StringComparison.Ordinal));
    }

    private sealed record Exports(
        nint Library,
        string LibraryPath,
        ConfNewFunction ConfNew,
        ConfSetFunction ConfSet,
        NewFunction New,
        DestroyFunction Destroy,
        ClusterIdFunction ClusterId,
        MemFreeFunction MemFree);
}
