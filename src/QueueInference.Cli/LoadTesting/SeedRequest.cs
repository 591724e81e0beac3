using System.Globalization;
using System.Text;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// Writes the seed client's request body byte for byte as Python's <c>json.dumps</c> lays it out
/// (", " and ": " separators, repr floats), so the worker sees exactly what existing clients send.
/// </summary>
public static class SeedRequest
{
    public const int DataLength = 5;

    public static byte[] CreateBody(Guid messageId, ReadOnlySpan<double> data, double sendTimestamp)
    {
        var json = new StringBuilder(96 + (data.Length * 16));
        json.Append("{\"message_id\": \"").Append(messageId.ToString("D", CultureInfo.InvariantCulture)).Append("\", \"data\": [");
        for (int i = 0; i < data.Length; i++)
        {
            if (i > 0)
            {
                json.Append(", ");
            }

            json.Append(PythonFloat.ToString(data[i]));
        }

        json.Append("], \"send_timestamp\": ").Append(PythonFloat.ToString(sendTimestamp)).Append('}');
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>Decimal places of the values of requests larger than the seed's: 4096 of them make a 61.5 KB body.</summary>
    public const int LargeRequestDecimals = 11;

    /// <summary>The seed's data: five uniform floats in [0, 1).</summary>
    public static double[] RandomData(Random random) => RandomData(random, DataLength);

    /// <summary>
    /// <paramref name="length"/> uniform floats in [0, 1): at full precision up to the seed's five, as the seed
    /// sends them; beyond that rounded to <see cref="LargeRequestDecimals"/> places, because at full precision
    /// (about 20 bytes a value) a request of Contract:MaxDataLength = 4096 values would not fit
    /// Contract:MaxBodyBytes = 65536 and be rejected unread.
    /// </summary>
    public static double[] RandomData(Random random, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var data = new double[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = length <= DataLength ? random.NextDouble() : Math.Round(random.NextDouble(), LargeRequestDecimals);
        }

        return data;
    }
}
