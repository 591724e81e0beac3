using System.Text;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Tests.Contract;

public sealed class RequestParserTests
{
    private static RequestParser CreateParser(ContractOptions? options = null) => new(Options.Create(options ?? new ContractOptions()));

    [Fact]
    public void TryParse_SeedRequest_KeepsFieldsAsSent()
    {
        // Arrange
        byte[] body = Encoding.UTF8.GetBytes("""{"message_id": "6f1c2a9e-1b7e-4c1e-9d59-3f0e1d2c4b5a", "data": [0.1, 0.2, 3e-1, 1, 0.5], "send_timestamp": 1700000000.25}""");

        // Act
        bool parsed = CreateParser().TryParse(body, out InferenceRequest? request, out RejectionReason reason);

        // Assert
        Assert.True(parsed);
        Assert.Equal(RejectionReason.None, reason);
        using (request)
        {
            Assert.Equal("6f1c2a9e-1b7e-4c1e-9d59-3f0e1d2c4b5a", request!.MessageId);
            Assert.Equal("\"6f1c2a9e-1b7e-4c1e-9d59-3f0e1d2c4b5a\"", Encoding.UTF8.GetString(request.MessageIdJson));
            Assert.Equal("[0.1, 0.2, 3e-1, 1, 0.5]", Encoding.UTF8.GetString(request.DataJson));
            Assert.Equal([0.1, 0.2, 0.3, 1.0, 0.5], request.Data.ToArray());
            Assert.Equal(1700000000.25, request.SendTimestamp);
        }
    }

    [Fact]
    public void TryParse_UnknownFieldsAndRepeatedData_AcceptsAndKeepsLastData()
    {
        // Arrange: Python's json.loads keeps the last of repeated keys.
        byte[] body = Encoding.UTF8.GetBytes("""{"extra": {"nested": [1, {"a": null}]}, "data": [9], "message_id": "m", "data": [1.5, 2.5], "note": "x"}""");

        // Act
        bool parsed = CreateParser().TryParse(body, out InferenceRequest? request, out _);

        // Assert
        Assert.True(parsed);
        using (request)
        {
            Assert.Equal([1.5, 2.5], request!.Data.ToArray());
            Assert.Null(request.SendTimestamp);
        }
    }

    [Theory]
    [InlineData("""{"message_id": "m", "data": [0.1]""", RejectionReason.MalformedJson)]
    [InlineData("""{"message_id": "m", "data": [0.1]} trailing""", RejectionReason.MalformedJson)]
    [InlineData("not json", RejectionReason.MalformedJson)]
    [InlineData("""[1, 2]""", RejectionReason.NotAnObject)]
    [InlineData("""{"data": [0.1]}""", RejectionReason.MissingMessageId)]
    [InlineData("""{"message_id": 42, "data": [0.1]}""", RejectionReason.InvalidMessageId)]
    [InlineData("""{"message_id": "", "data": [0.1]}""", RejectionReason.InvalidMessageId)]
    [InlineData("""{"message_id": "m"}""", RejectionReason.MissingData)]
    [InlineData("""{"message_id": "m", "data": "0.1"}""", RejectionReason.InvalidData)]
    [InlineData("""{"message_id": "m", "data": [0.1, "x"]}""", RejectionReason.InvalidData)]
    [InlineData("""{"message_id": "m", "data": [0.1, null]}""", RejectionReason.InvalidData)]
    [InlineData("""{"message_id": "m", "data": [1e400]}""", RejectionReason.NonFiniteValue)]
    [InlineData("""{"message_id": "m", "data": [NaN]}""", RejectionReason.MalformedJson)]
    public void TryParse_InvalidRequest_RejectsWithReason(string json, RejectionReason expected)
    {
        // Act
        bool parsed = CreateParser().TryParse(Encoding.UTF8.GetBytes(json), out InferenceRequest? request, out RejectionReason reason);

        // Assert
        Assert.False(parsed);
        Assert.Null(request);
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void TryParse_InvalidUtf8_Rejects()
    {
        // Arrange: a lone continuation byte inside the message id.
        byte[] body = [.. "{\"message_id\": \"a"u8, 0x80, .. "\", \"data\": [1]}"u8];

        // Act
        bool parsed = CreateParser().TryParse(body, out _, out RejectionReason reason);

        // Assert
        Assert.False(parsed);
        Assert.Equal(RejectionReason.InvalidUtf8, reason);
    }

    [Fact]
    public void TryParse_OverLimits_RejectsEach()
    {
        // Arrange
        var parser = CreateParser(new ContractOptions { MaxBodyBytes = 100, MaxDataLength = 3, MaxMessageIdBytes = 4 });

        // Act
        bool largeParsed = parser.TryParse(Encoding.UTF8.GetBytes(new string(' ', 101)), out _, out RejectionReason tooLarge);
        bool manyParsed = parser.TryParse(Encoding.UTF8.GetBytes("""{"message_id": "m", "data": [1, 2, 3, 4]}"""), out _, out RejectionReason tooMany);
        bool longIdParsed = parser.TryParse(Encoding.UTF8.GetBytes("""{"message_id": "12345", "data": [1]}"""), out _, out RejectionReason longId);

        // Assert
        Assert.False(largeParsed || manyParsed || longIdParsed);
        Assert.Equal(RejectionReason.BodyTooLarge, tooLarge);
        Assert.Equal(RejectionReason.TooManyValues, tooMany);
        Assert.Equal(RejectionReason.InvalidMessageId, longId);
    }

    [Fact]
    public void TryParse_ManyValues_GrowsPooledArray()
    {
        // Arrange
        double[] values = [.. Enumerable.Range(0, 1000).Select(i => i / 1000.0)];
        byte[] body = Encoding.UTF8.GetBytes($"{{\"message_id\": \"m\", \"data\": [{string.Join(", ", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]}}");

        // Act
        bool parsed = CreateParser().TryParse(body, out InferenceRequest? request, out _);

        // Assert
        Assert.True(parsed);
        using (request)
        {
            Assert.Equal(values, request!.Data.ToArray());
        }
    }

    [Fact]
    public void TryParse_NumbersOfEveryShape_SameBitsAsTheRuntimesCorrectlyRoundedParse()
    {
        // Arrange: random doubles across the exponent range in the shortest round-trip form (Python's repr), in 17
        // significant digits and in 25 (more than a double holds, so rounding decides), plus halfway, subnormal, largest
        // and negative-zero cases. The runtime's double.Parse rounds correctly; so must the parser.
        var random = new Random(20261201);
        var texts = new List<string>
        {
            "0", "-0", "-0.0", "1", "-1", "0.1", "1e-7", "5e-324", "4.9406564584124654e-324", "2.2250738585072011e-308",
            "2.2250738585072014e-308", "1.7976931348623157e308", "9007199254740993", "9007199254740992.5",
            "0.1000000000000000055511151231257827021181583404541015625", "1.00000000000000011102230246251565404236316680908203125",
            "123456789012345678901234567890", "1E+2", "1e-400", "-1.5e-310", "12854.558924832432", "1763880000.123456",
        };
        for (int i = 0; i < 3000; i++)
        {
            double value = BitConverter.Int64BitsToDouble(random.NextInt64(0, long.MaxValue)) * (random.Next(2) == 0 ? 1 : -1);
            if (!double.IsFinite(value))
            {
                continue;
            }

            texts.Add(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            texts.Add(value.ToString("E16", System.Globalization.CultureInfo.InvariantCulture));
            texts.Add(value.ToString("E24", System.Globalization.CultureInfo.InvariantCulture));
            texts.Add((random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }

        byte[] body = Encoding.UTF8.GetBytes($"{{\"message_id\": \"m\", \"data\": [{string.Join(", ", texts)}]}}");
        double[] expected = [.. texts.Select(t => double.Parse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture))];

        // Act
        bool parsed = CreateParser(new ContractOptions { MaxDataLength = 100_000, MaxBodyBytes = 10_000_000 }).TryParse(body, out InferenceRequest? request, out RejectionReason reason);

        // Assert
        Assert.True(parsed, reason.ToString());
        using (request)
        {
            double[] actual = request!.Data.ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]), $"{texts[i]}: expected {expected[i]:R}, parsed {actual[i]:R}");
            }
        }
    }
}
