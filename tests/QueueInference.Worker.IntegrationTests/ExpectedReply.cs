using QueueInference.Pipeline.Contract;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>What the seed's worker would put in a reply, computed the seed's way (the plain loop).</summary>
internal static class ExpectedReply
{
    public static string ProcessedData(double[] data)
    {
        double sum = 0;
        foreach (double x in data)
        {
            sum += x * x;
        }

        double factor = Math.Sqrt(sum);
        double acc = 0;
        for (int i = 0; i < 100_000; i++)
        {
            acc += factor * 0.1;
        }

        return PythonFloat.ToString(acc);
    }

    public static string ModelOutput(string processedData) =>
        $"[[{PythonFloat.ToString((float)double.Parse(processedData, System.Globalization.CultureInfo.InvariantCulture))}]]";
}
