using System.Text.RegularExpressions;
using Aero.Warehouse.Views;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>
/// Issue 19 §1: generated LookML names only real columns of real views, and only fields it defines; every column of a
/// view is offered; the model has one explore per view. Shared with the job views' specs (Aero.Actors.Tests).
/// </summary>
internal static partial class LookMlCheck
{
    /// <summary>Checks <paramref name="files"/> against <paramref name="warehouse"/>, expecting exactly <paramref name="views"/>; returns the column references checked.</summary>
    public static async Task<int> AssertFieldsNameRealColumnsAsync(IWarehouseQuery warehouse, IReadOnlyDictionary<string, string> files, IReadOnlyCollection<string> views)
    {
        var viewFiles = files.Where(f => f.Key.StartsWith(LookMl.ViewsFolder + "/", StringComparison.Ordinal)).ToList();
        Assert.Equal(views.Order(StringComparer.Ordinal), viewFiles.Select(f => SqlTableName().Match(f.Value).Groups[1].Value).Order(StringComparer.Ordinal));
        var checkedColumns = 0;
        foreach (var (name, text) in viewFiles)
        {
            var table = SqlTableName().Match(text).Groups[1].Value;
            var columns = (await warehouse.QueryAsync($"SELECT * FROM {table} LIMIT 0")).Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(columns);
            var defined = FieldDefinition().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            foreach (Match reference in TableColumn().Matches(text))
            {
                Assert.True(columns.Contains(reference.Groups[1].Value), $"{name}: ${{TABLE}}.{reference.Groups[1].Value} is no column of {table}");
                checkedColumns++;
            }

            foreach (Match reference in FieldReference().Matches(text))
            {
                Assert.True(defined.Contains(reference.Groups[1].Value), $"{name}: ${{{reference.Groups[1].Value}}} is no field of the view");
            }

            // Every column of the view is offered to Looker.
            Assert.Subset(defined, columns);
        }

        var explores = Explore().Matches(files[LookMl.ModelFile]).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(views.Order(StringComparer.Ordinal), explores.Order(StringComparer.Ordinal));
        return checkedColumns;
    }

    [GeneratedRegex(@"sql_table_name:\s*(\w+)\s*;;")]
    private static partial Regex SqlTableName();

    [GeneratedRegex(@"\$\{TABLE\}\.(\w+)")]
    private static partial Regex TableColumn();

    [GeneratedRegex(@"\$\{(?!TABLE\})(\w+)\}")]
    private static partial Regex FieldReference();

    [GeneratedRegex(@"^\s*(?:dimension|dimension_group|measure):\s*(\w+)\s*\{", RegexOptions.Multiline)]
    private static partial Regex FieldDefinition();

    [GeneratedRegex(@"^explore:\s*(\w+)\s*\{", RegexOptions.Multiline)]
    private static partial Regex Explore();
}
