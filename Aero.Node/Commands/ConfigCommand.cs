using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Akka.Configuration.Hocon;

namespace Aero.Node.Commands;

/// <summary><c>aero config show</c>: the effective configuration, checked, with secrets redacted.</summary>
public static class ConfigCommand
{
    // Printed for people and scripts, not embedded in HTML: "<redacted>" should read as such.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration overlay: dev, test, gke or a file (default: AERO_ENV)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of key = value lines" };
        var show = new Command("show", "Print the effective configuration (files, overlay and environment), secrets redacted");
        show.Options.Add(config);
        show.Options.Add(json);
        show.SetAction(result =>
        {
            var effective = AeroConfiguration.Load(result.GetValue(config));
            // The same checks as at start, so `config show` tells about a bad value before a deployment does.
            AeroNode.CheckSettings(effective);
            _ = (RunSettings.Create(effective), EmbeddedKafkaSettings.Create(effective));
            var entries = Leaves("", effective.Root)
                .Select(e => (e.Key, Value: Render(e.Key, e.Value)))
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .ToList();
            Console.WriteLine(result.GetValue(json) ? ToJson(entries) : string.Join(Environment.NewLine, entries.Select(e => $"{e.Key} = {e.Value?.ToJsonString(JsonOptions)}")));
            return 0;
        });

        var command = new Command("config", "Configuration");
        command.Subcommands.Add(show);
        return command;
    }

    private static IEnumerable<(string Key, HoconValue Value)> Leaves(string prefix, HoconValue value)
    {
        if (!value.IsObject() || value.GetObject().Items.Count == 0)
        {
            return [(prefix, value)];
        }

        return value.GetObject().Items.SelectMany(item => Leaves(prefix.Length == 0 ? item.Key : $"{prefix}.{item.Key}", item.Value));
    }

    private static JsonNode? Render(string key, HoconValue value)
    {
        if (value.IsArray())
        {
            // Lists of lists too (a format's header columns).
            return new JsonArray([.. value.GetArray().Select(v => Render(key, v))]);
        }

        return value.IsObject() ? new JsonObject() : JsonValue.Create(ConfigRedactor.Redact(key, value.GetString() ?? ""));
    }

    private static string ToJson(IEnumerable<(string Key, JsonNode? Value)> entries)
    {
        var root = new JsonObject();
        foreach (var (key, value) in entries)
        {
            var parts = key.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
            }

            node[parts[^1]] = value;
        }

        return root.ToJsonString(new JsonSerializerOptions(JsonOptions) { WriteIndented = true });
    }
}
