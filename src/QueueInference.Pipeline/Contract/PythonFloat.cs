using System.Globalization;

namespace QueueInference.Pipeline.Contract;

/// <summary>
/// Formats a double exactly as Python's <c>repr(float)</c> does, which is what the seed's worker
/// put in <c>processed_data</c> and what <c>json.dumps</c> writes for floats.
/// </summary>
/// <remarks>
/// Both runtimes produce the shortest round-trip digit string; they differ only in layout.
/// Python (<c>format_float_short</c>, mode 'r', Objects/floatobject.c and Python/pystrtod.c) uses
/// scientific notation when the decimal exponent is below -4 or at least 16, always writes a
/// two-digit signed exponent, and appends <c>.0</c> to integral values in positional notation.
/// </remarks>
public static class PythonFloat
{
    /// <summary>Longest output: sign, 17 digits, point, "e-308".</summary>
    public const int MaxLength = 32;

    /// <summary>Writes the Python repr of <paramref name="value"/> as UTF-8; returns the byte count.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            return Copy("nan"u8, destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "inf"u8 : "-inf"u8, destination);
        }

        Span<char> text = stackalloc char[MaxLength];
        if (!value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A double's round-trip form did not fit 32 characters.");
        }

        // Split the round-trip text into its significant digits and the position of the decimal
        // point relative to them (value = 0.d1d2... x 10^pointPosition), as dtoa reports it.
        Span<byte> digits = stackalloc byte[MaxLength];
        int digitCount = 0;
        int integerDigits = 0;
        bool seenPoint = false;
        int exponent = 0;
        bool negative = false;
        for (int i = 0; i < length; i++)
        {
            char c = text[i];
            if (c == '-' && i == 0)
            {
                negative = true;
            }
            else if (c == '.')
            {
                seenPoint = true;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(text[(i + 1)..length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[digitCount++] = (byte)c;
                if (!seenPoint)
                {
                    integerDigits++;
                }
            }
        }

        int leadingZeros = 0;
        while (leadingZeros < digitCount && digits[leadingZeros] == (byte)'0')
        {
            leadingZeros++;
        }

        int end = digitCount;
        while (end > leadingZeros && digits[end - 1] == (byte)'0')
        {
            end--;
        }

        int written = 0;
        if (negative)
        {
            destination[written++] = (byte)'-';
        }

        if (end == leadingZeros)
        {
            return written + Copy("0.0"u8, destination[written..]);
        }

        ReadOnlySpan<byte> significant = digits[leadingZeros..end];
        int pointPosition = integerDigits - leadingZeros + exponent;

        if (pointPosition <= -4 || pointPosition > 16)
        {
            destination[written++] = significant[0];
            if (significant.Length > 1)
            {
                destination[written++] = (byte)'.';
                written += Copy(significant[1..], destination[written..]);
            }

            int e = pointPosition - 1;
            destination[written++] = (byte)'e';
            destination[written++] = e < 0 ? (byte)'-' : (byte)'+';
            e = Math.Abs(e);
            if (e < 10)
            {
                destination[written++] = (byte)'0';
            }

            e.TryFormat(destination[written..], out int exponentLength, default, CultureInfo.InvariantCulture);
            return written + exponentLength;
        }

        if (pointPosition <= 0)
        {
            written += Copy("0."u8, destination[written..]);
            destination.Slice(written, -pointPosition).Fill((byte)'0');
            written += -pointPosition;
            return written + Copy(significant, destination[written..]);
        }

        if (pointPosition >= significant.Length)
        {
            written += Copy(significant, destination[written..]);
            int zeros = pointPosition - significant.Length;
            destination.Slice(written, zeros).Fill((byte)'0');
            written += zeros;
            return written + Copy(".0"u8, destination[written..]);
        }

        written += Copy(significant[..pointPosition], destination[written..]);
        destination[written++] = (byte)'.';
        return written + Copy(significant[pointPosition..], destination[written..]);
    }

    /// <summary>The Python repr of <paramref name="value"/> as a string (tests, logs, tools).</summary>
    public static string ToString(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        int length = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..length]);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
