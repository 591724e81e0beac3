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
        var json = new StringBuilder(192);
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

    /// <summary>The seed's data: five uniform floats in [0, 1).</summary>
    public static double[] RandomData(Random random)
    {
        var data = new double[DataLength];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = random.NextDouble();
        }

        return data;
    }
}
