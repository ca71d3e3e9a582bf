using LitestreamActors.Node.Hosting;

namespace LitestreamActors.Node.Tests;

public sealed class GarbageBudgetTests
{
    [Fact]
    public void Less_than_the_budget_allocated_since_the_last_collection_collects_nothing()
    {
        var budget = new GarbageBudget(16, Collections: 3, AllocatedAtCollection: 100);
        var (next, collect) = budget.Observe(3, 115);
        Assert.False(collect);
        Assert.Equal(budget, next);
    }

    [Fact]
    public void The_budget_allocated_without_a_collection_collects_once_and_counts_from_there()
    {
        var (next, collect) = new GarbageBudget(16, 3, 100).Observe(3, 116);
        Assert.True(collect);
        Assert.Equal(new GarbageBudget(16, 4, 116), next);
        Assert.False(next.Observe(4, 131).Collect);
        Assert.True(next.Observe(4, 132).Collect);
    }

    [Fact]
    public void A_collection_by_the_runtime_restarts_the_count_without_another()
    {
        var (next, collect) = new GarbageBudget(16, 3, 100).Observe(5, 400);
        Assert.False(collect);
        Assert.Equal(new GarbageBudget(16, 5, 400), next);
    }
}
