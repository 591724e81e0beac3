using System.Text;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class SeedRequestTests
{
    [Fact]
    public void CreateBody_SeedFields_LaidOutAsPythonJsonDumps()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        byte[] body = SeedRequest.CreateBody(id, [0.1, 0.5488135039273248, 1.0], 1700000000.25);

        Assert.Equal(
            "{\"message_id\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"data\": [0.1, 0.5488135039273248, 1.0], \"send_timestamp\": 1700000000.25}",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void RandomData_FiveValues_InUnitInterval()
    {
        double[] data = SeedRequest.RandomData(new Random(1));

        Assert.Equal(5, data.Length);
        Assert.All(data, x => Assert.InRange(x, 0.0, 0.9999999999999999));
    }
}
