using TransformersBook.Monitoring;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The configuration Prometheus is given, and free ports.</summary>
public class PrometheusProcessTests
{
    [Fact]
    public void Configuration_names_one_job_its_target_and_interval()
    {
        string yaml = PrometheusProcess.Configuration("book", "127.0.0.1:5000", TimeSpan.FromSeconds(1));
        Assert.Contains("scrape_interval: 1000ms", yaml, StringComparison.Ordinal);
        Assert.Contains("- job_name: book", yaml, StringComparison.Ordinal);
        Assert.Contains("targets: [\"127.0.0.1:5000\"]", yaml, StringComparison.Ordinal);
        Assert.Contains("metrics_path: /metrics", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Free_port_is_a_real_port() => Assert.InRange(PrometheusProcess.FreePort(), 1, 65535);
}
