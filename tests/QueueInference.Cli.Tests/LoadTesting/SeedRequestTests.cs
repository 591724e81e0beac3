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

    [Fact]
    public void RandomData_FourThousandNinetySixValues_BodyInsideTheContractsLimit()
    {
        // Contract:MaxDataLength is 4096 and Contract:MaxBodyBytes 65536: the large requests must fit both.
        var random = new Random(1);

        byte[] body = SeedRequest.CreateBody(Guid.NewGuid(), SeedRequest.RandomData(random, 4096), 1700000000.25);

        Assert.InRange(body.Length, 60_000, 63_500);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(4096, json.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void RandomData_SeedLength_SameValuesAsTheSeedsData()
    {
        double[] sized = SeedRequest.RandomData(new Random(5), SeedRequest.DataLength);
        double[] seed = SeedRequest.RandomData(new Random(5));

        Assert.Equal(seed, sized);
    }

    [Fact]
    public void RandomData_MoreThanTheSeedsFive_RoundedToElevenPlaces()
    {
        double[] data = SeedRequest.RandomData(new Random(9), 100);

        Assert.All(data, x => Assert.Equal(Math.Round(x, SeedRequest.LargeRequestDecimals), x));
        Assert.All(data, x => Assert.InRange(x, 0.0, 1.0));
    }
}
