using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// The store-wide slots within one process: a slot this instance holds is skipped without being opened, and freed for
/// the next child when its holder is disposed, however many times; another instance on the same folder (as another
/// process would) sees the held ones as held.
/// </summary>
public sealed class ChildSlotsTests : IDisposable
{
    private readonly UnitTempDirectory _temp = new();

    public ChildSlotsTests() => File.SetUnixFileMode(_temp.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_freed_slot_is_taken_again_and_a_full_store_gives_none()
    {
        var slots = new ChildSlots(_temp.Path, 3);
        var held = new[] { slots.TryAcquire(), slots.TryAcquire(), slots.TryAcquire() };

        Assert.All(held, Assert.NotNull);
        Assert.Null(slots.TryAcquire());
        held[1]!.Dispose();
        held[1]!.Dispose(); // twice frees it once
        var again = slots.TryAcquire();
        Assert.NotNull(again);
        Assert.Null(slots.TryAcquire());

        foreach (var slot in held) slot!.Dispose();
        again!.Dispose();
    }

    [Fact]
    public void Thousands_of_children_one_after_another_never_use_up_the_slots()
    {
        var slots = new ChildSlots(_temp.Path, 2);
        var kept = slots.TryAcquire();
        for (var i = 0; i < 5000; i++)
        {
            var slot = AcquireSoon(slots);
            Assert.NotNull(slot);
            slot.Dispose();
        }
        kept!.Dispose();
    }

    /// <summary>
    /// A free slot, tried again for a while: a process another test forks at that moment holds a copy of every open
    /// file, and so the freed slot's lock, until it execs (a few ms on a busy machine); the engine's own start tries again
    /// 250 ms later in the same case.
    /// </summary>
    private static IDisposable? AcquireSoon(ChildSlots slots)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var slot = slots.TryAcquire();
            if (slot is not null || clock.Elapsed > TimeSpan.FromSeconds(10)) return slot;
            Thread.Sleep(1);
        }
    }

    [Fact]
    public void Another_instance_on_the_same_folder_finds_the_held_slots_held()
    {
        var ours = new ChildSlots(_temp.Path, 2);
        var theirs = new ChildSlots(_temp.Path, 2);
        var first = ours.TryAcquire();
        var second = theirs.TryAcquire();

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(ours.TryAcquire());
        Assert.Null(theirs.TryAcquire());
        first!.Dispose();
        var taken = theirs.TryAcquire();
        Assert.NotNull(taken);
        Assert.Null(ours.TryAcquire());

        second!.Dispose();
        taken!.Dispose();
    }
}
