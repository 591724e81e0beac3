using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class PrometheusTextTests
{
    private const string Exposition = """
        # HELP queueinference_requests_in_flight Requests held by this process, unacked.
        # TYPE queueinference_requests_in_flight gauge
        queueinference_requests_in_flight 5123
        queueinference_requests_in_flight_extra 7
        # TYPE queueinference_requests_dead_lettered counter
        queueinference_requests_dead_lettered{reason="malformed-json"} 2
        queueinference_requests_dead_lettered{reason="poison"} 3 1700000000000
        queueinference_consumer_connected 0
        """;

    [Fact]
    public void Read_PlainGauge_ItsValueNotALongerNamesOne()
    {
        Assert.Equal(5123, PrometheusText.Read(Exposition, "queueinference_requests_in_flight"));
    }

    [Fact]
    public void Read_LabelledSeries_SummedWithTimestampsIgnored()
    {
        Assert.Equal(5, PrometheusText.Read(Exposition, "queueinference_requests_dead_lettered"));
    }

    [Fact]
    public void Read_Absent_Null()
    {
        Assert.Null(PrometheusText.Read(Exposition, "queueinference_requests_received"));
    }

    [Fact]
    public void Read_ZeroGauge_ZeroNotNull()
    {
        Assert.Equal(0, PrometheusText.Read(Exposition, "queueinference_consumer_connected"));
    }
}
