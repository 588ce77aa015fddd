using Aero.Warehouse.Views;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>Issue 19 §1: the generated LookML names only real columns of real views, and only fields it defines.</summary>
public sealed class LookMlSpec : IDisposable
{
    private readonly DuckDbTestStore _store = new();

    [Fact]
    public async Task Every_LookML_field_should_name_a_real_column_of_a_real_view()
    {
        await using var warehouse = await _store.OpenAsync();

        var checkedColumns = await LookMlCheck.AssertFieldsNameRealColumnsAsync(warehouse, LookMl.Files("aero", []), [.. WarehouseViews.Looker.Select(v => v.Name)]);

        Assert.True(checkedColumns >= 80, $"only {checkedColumns} column references checked");
    }

    public void Dispose() => _store.Dispose();
}
