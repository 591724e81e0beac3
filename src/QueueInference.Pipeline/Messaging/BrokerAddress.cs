using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// <c>RabbitMQ:ConnectionString</c>: an AMQP URI that may name several nodes of one cluster as a
/// comma-separated host list, <c>amqp://user:password@node1:5672,node2:5672,node3/vhost</c>. User,
/// password, vhost and scheme are shared by all hosts; a host without a port takes the scheme's
/// default (5672, or 5671 for <c>amqps</c>). The client tries the hosts in random order when it
/// connects and again after every connection loss, so one name list covers a node going away.
/// </summary>
public sealed class BrokerAddress
{
    private BrokerAddress(Uri first, IReadOnlyList<(string Host, int Port)> hosts)
    {
        FirstHost = first;
        Hosts = hosts;
    }

    /// <summary>The URI of the first host, with the shared credentials, vhost and scheme.</summary>
    public Uri FirstHost { get; }

    public IReadOnlyList<(string Host, int Port)> Hosts { get; }

    public bool IsTls => FirstHost.Scheme == "amqps";

    public static bool TryParse(string? connectionString, [NotNullWhen(true)] out BrokerAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        int schemeEnd = connectionString.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return false;
        }

        string scheme = connectionString[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("amqp" or "amqps"))
        {
            return false;
        }

        string rest = connectionString[(schemeEnd + 3)..];
        int pathStart = rest.IndexOfAny(['/', '?']);
        string authority = pathStart < 0 ? rest : rest[..pathStart];
        string path = pathStart < 0 ? string.Empty : rest[pathStart..];
        int at = authority.LastIndexOf('@');
        string userInfo = at < 0 ? string.Empty : authority[..(at + 1)];
        string[] hostList = authority[(at + 1)..].Split(',');
        var hosts = new List<(string, int)>(hostList.Length);
        Uri? first = null;
        foreach (string host in hostList)
        {
            if (host.Length == 0 || !Uri.TryCreate($"{scheme}://{userInfo}{host}{path}", UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0)
            {
                return false;
            }

            first ??= uri;
            // System.Uri knows no default port for amqp: -1 lets the client pick 5672 or 5671.
            hosts.Add((uri.IdnHost, uri.Port));
        }

        address = new BrokerAddress(first!, hosts);
        return true;
    }

    /// <summary>The hosts as the client's endpoints, each with the TLS settings of <paramref name="factory"/> for its own name.</summary>
    public IList<AmqpTcpEndpoint> Endpoints(ConnectionFactory factory) =>
        [.. Hosts.Select(h => new AmqpTcpEndpoint(h.Host, h.Port, TlsFor(factory.Ssl, h.Host), factory.MaxInboundMessageBodySize))];

    /// <summary>The host list as <c>host:port,host:port</c> (no credentials), for log lines.</summary>
    public override string ToString() => string.Join(',', Hosts.Select(h => h.Port < 0 ? h.Host : string.Create(CultureInfo.InvariantCulture, $"{h.Host}:{h.Port}")));

    private static SslOption TlsFor(SslOption template, string host) => new(host, template.CertPath, template.Enabled)
    {
        AcceptablePolicyErrors = template.AcceptablePolicyErrors,
        Version = template.Version,
        CertificateValidationCallback = template.CertificateValidationCallback,
        CertificateSelectionCallback = template.CertificateSelectionCallback,
        CertPassphrase = template.CertPassphrase,
        Certs = template.Certs,
        CheckCertificateRevocation = template.CheckCertificateRevocation,
    };
}
