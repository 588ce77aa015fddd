using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Aero.Node.Admin;

/// <summary>
/// The CLI end of the admin verbs: <c>aero GROUP NAME [args] [--json] [--node host:port] [--token T]</c> for every
/// <see cref="IAdminVerb"/>, each calling its node's route and rendering the answer.
/// </summary>
public static class AdminCommands
{
    public const string DefaultNode = "127.0.0.1:9110";
    public const string TokenVariable = "AERO_ADMIN_TOKEN";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Adds each verb under its group's command, reusing a group the root already has (such as kafka).</summary>
    public static void AddTo(RootCommand root)
    {
        foreach (var verb in AdminVerbs.All)
        {
            var group = root.Subcommands.FirstOrDefault(c => c.Name == verb.Group);
            if (group is null)
            {
                group = new Command(verb.Group, $"{char.ToUpperInvariant(verb.Group[0])}{verb.Group[1..]} commands, through a node's admin endpoint");
                root.Subcommands.Add(group);
            }

            group.Subcommands.Add(Create(verb));
        }

        foreach (var group in root.Subcommands.Where(c => AdminVerbs.All.Any(v => v.Group == c.Name)))
        {
            RejectUnknownVerbs(group);
        }
    }

    /// <summary>
    /// <c>aero cluster frobnicate</c> says which verbs exist, in one line, instead of System.CommandLine's parse errors
    /// and the group's whole help.
    /// </summary>
    private static void RejectUnknownVerbs(Command group)
    {
        group.TreatUnmatchedTokensAsErrors = false;
        group.SetAction(result =>
        {
            var known = string.Join(", ", group.Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal));
            Console.Error.WriteLine(result.UnmatchedTokens.Count > 0
                ? $"aero: unknown verb \"{group.Name} {result.UnmatchedTokens[0]}\". Known: {known}."
                : $"aero {group.Name}: name a verb: {known}.");
            return 1;
        });
    }

    private static Command Create(IAdminVerb verb)
    {
        var node = new Option<string>("--node") { Description = "The node's admin endpoint, host:port", DefaultValueFactory = _ => DefaultNode };
        var token = new Option<string?>("--token") { Description = $"Bearer token, if the node asks for one (default: {TokenVariable})" };
        var json = new Option<bool>("--json") { Description = "Print the node's JSON answer instead of a table" };
        var command = new Command(verb.Name, verb.Description);
        var inputs = new List<(AdminParameter Parameter, Func<ParseResult, string?> Value)>();
        foreach (var parameter in verb.Parameters)
        {
            if (parameter.Positional)
            {
                var argument = new Argument<string?>(parameter.Name)
                {
                    Description = parameter.Description,
                    Arity = parameter.Required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne,
                };
                command.Arguments.Add(argument);
                inputs.Add((parameter, r => r.GetValue(argument)));
            }
            else
            {
                var option = new Option<string?>($"--{parameter.Name}") { Description = parameter.Description, Required = parameter.Required };
                command.Options.Add(option);
                inputs.Add((parameter, r => r.GetValue(option)));
            }
        }

        command.Options.Add(node);
        command.Options.Add(token);
        command.Options.Add(json);
        command.SetAction(async (result, cancellation) =>
        {
            var arguments = inputs
                .Select(i => (i.Parameter.Name, Value: i.Value(result)))
                .Where(i => !string.IsNullOrEmpty(i.Value))
                .ToDictionary(i => i.Name, i => i.Value!, StringComparer.Ordinal);
            using var client = new AdminClient(result.GetValue(node)!, result.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable), TimeSpan.FromMinutes(2));
            try
            {
                var answer = await client.CallAsync(verb, arguments, cancellation);
                if (result.GetValue(json))
                {
                    Console.WriteLine(answer.ToJsonString(Indented));
                }
                else
                {
                    verb.Render(answer, AnsiConsole.Console);
                }

                return 0;
            }
            catch (AdminClientException error)
            {
                await Console.Error.WriteLineAsync($"aero: {error.Message}");
                return 1;
            }
        });
        return command;
    }
}
