using System.Globalization;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Tests.Contract;

public sealed class PythonFloatTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(50000.0, "50000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-300, "1.5e-300")]
    [InlineData(11853.981886586507, "11853.981886586507")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NaN, "nan")]
    public void ToString_KnownValue_MatchesPythonRepr(double value, string expected)
    {
        // Act
        string text = PythonFloat.ToString(value);

        // Assert
        Assert.Equal(expected, text);
    }

    [Fact]
    public void ToString_ValuesFormattedByPython_MatchEveryOne()
    {
        // Arrange: written by TestData/make_python_repr.py with CPython's own repr.
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "python_repr.txt"));
        var mismatches = new List<string>();

        // Act
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ');
            double value = BitConverter.Int64BitsToDouble(long.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            string actual = PythonFloat.ToString(value);
            if (actual != parts[1])
            {
                mismatches.Add($"{parts[0]}: python {parts[1]}, ours {actual}");
            }
        }

        // Assert
        Assert.True(lines.Length > 4000, "the fixture should hold thousands of values");
        Assert.Empty(mismatches);
    }
}
