using Book.Engine;
using Book.Kernel;

namespace Book.Kernel.Tests;

public class StreamBatcherTests
{
    static readonly TimeSpan Never = TimeSpan.FromHours(1);

    sealed class Published
    {
        readonly List<(StreamName Stream, string Text)> _messages = [];

        public void Add(StreamName stream, string text)
        {
            lock (_messages)
                _messages.Add((stream, text));
        }

        public List<(StreamName Stream, string Text)> Snapshot()
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    [Fact]
    public void Many_lines_become_one_message_on_flush()
    {
        var published = new Published();
        var batcher = new StreamBatcher(published.Add, maxChars: 1 << 20, interval: Never);

        for (int i = 0; i < 1000; i++)
            batcher.Write(StreamName.Stdout, $"{i}\n");
        Assert.Empty(published.Snapshot());
        batcher.Flush();

        var message = Assert.Single(published.Snapshot());
        Assert.Equal(StreamName.Stdout, message.Stream);
        Assert.Equal(string.Concat(Enumerable.Range(0, 1000).Select(i => $"{i}\n")), message.Text);
    }

    [Fact]
    public void A_full_batch_is_published_without_waiting()
    {
        var published = new Published();
        var batcher = new StreamBatcher(published.Add, maxChars: 10, interval: Never);

        batcher.Write(StreamName.Stdout, "12345\n");
        Assert.Empty(published.Snapshot());
        batcher.Write(StreamName.Stdout, "67890\n");
        batcher.Write(StreamName.Stdout, "tail\n");

        Assert.Equal([(StreamName.Stdout, "12345\n67890\n")], published.Snapshot());
        batcher.Flush();
        Assert.Equal((StreamName.Stdout, "tail\n"), published.Snapshot()[^1]);
    }

    [Fact]
    public void Switching_streams_keeps_the_order()
    {
        var published = new Published();
        var batcher = new StreamBatcher(published.Add, maxChars: 1000, interval: Never);

        batcher.Write(StreamName.Stdout, "a\n");
        batcher.Write(StreamName.Stdout, "b\n");
        batcher.Write(StreamName.Stderr, "oops\n");
        batcher.Write(StreamName.Stdout, "c\n");
        batcher.Flush();

        Assert.Equal([(StreamName.Stdout, "a\nb\n"), (StreamName.Stderr, "oops\n"), (StreamName.Stdout, "c\n")], published.Snapshot());
    }

    [Fact]
    public void Pending_text_goes_out_after_the_interval_without_a_flush()
    {
        var published = new Published();
        var batcher = new StreamBatcher(published.Add, maxChars: 1000, interval: TimeSpan.FromMilliseconds(50));

        batcher.Write(StreamName.Stdout, "epoch 1\n");
        batcher.Write(StreamName.Stdout, "epoch 2\n");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (published.Snapshot().Count == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.Equal([(StreamName.Stdout, "epoch 1\nepoch 2\n")], published.Snapshot());

        // The timer re-arms for later text.
        batcher.Write(StreamName.Stderr, "epoch 3\n");
        while (published.Snapshot().Count == 1 && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.Equal((StreamName.Stderr, "epoch 3\n"), published.Snapshot()[^1]);
    }

    [Fact]
    public void Nothing_pending_publishes_nothing()
    {
        var published = new Published();
        var batcher = new StreamBatcher(published.Add, maxChars: 1000, interval: Never);

        batcher.Write(StreamName.Stdout, "");
        batcher.Flush();

        Assert.Empty(published.Snapshot());
    }

    [Fact]
    public void Writes_from_many_threads_lose_nothing()
    {
        var published = new Published();
        var batcher = new StreamBatcher(published.Add, maxChars: 100, interval: TimeSpan.FromMilliseconds(1));

        Parallel.For(0, 4, thread =>
        {
            for (int i = 0; i < 2000; i++)
                batcher.Write(StreamName.Stdout, $"{thread}:{i}\n");
        });
        batcher.Flush();

        var lines = string.Concat(published.Snapshot().Select(m => m.Text)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8000, lines.Length);
        Assert.Equal(8000, lines.Distinct().Count());
        // Each thread's own lines stay in its order.
        for (int thread = 0; thread < 4; thread++)
            Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"{thread}:{i}"), lines.Where(l => l.StartsWith($"{thread}:")));
    }
}
