using System.CommandLine;
using Aero.Warehouse.Views;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary><c>aero looker generate</c>: LookML for the views the warehouse creates on start.</summary>
public static class LookerCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The folder to write the model and its views folder into", Required = true };
        var connection = new Option<string>("--connection") { Description = "The Looker connection the model uses", DefaultValueFactory = _ => "aero" };
        var generate = new Command("generate", "Write LookML (a model with an explore per view, one view file per warehouse view)");
        generate.Options.Add(output);
        generate.Options.Add(connection);
        generate.SetAction(result =>
        {
            var folder = result.GetValue(output)!;
            foreach (var (name, text) in LookMl.Files(result.GetValue(connection)!))
            {
                var path = Path.Combine(folder, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }

            AnsiConsole.MarkupLineInterpolated($"LookML for {WarehouseViews.Looker.Count} views written to [bold]{Path.GetFullPath(folder)}[/]");
            return 0;
        });

        var looker = new Command("looker", "Looker tools");
        looker.Subcommands.Add(generate);
        return looker;
    }
}
