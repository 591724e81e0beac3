namespace QueueInference.FunctionApp.Tests;

/// <summary>
/// BasicProperties exactly as the Functions host puts them in the trigger metadata: captured from real deliveries
/// (published with pika to a local RabbitMQ 3.10, fetched with RabbitMQ.Client, serialized with
/// Newtonsoft.Json 13.0.3 <c>JsonConvert.SerializeObject(properties, Formatting.None)</c>, which is what the host's
/// GrpcMessageConversionExtensions.ToRpcDefault does with binding data that is not a primitive).
/// </summary>
internal static class HostBindingDataSamples
{
    /// <summary>RabbitMQ.Client 6.4.0 (the host extension's client), a request with reply_to, correlation_id and headers.</summary>
    public const string Client6Request = """
        {"ContentType":"application/json","ContentEncoding":null,"Headers":{"x-ms-rabbitmq-requeuecount":2,"trace":"YWJj","nested":{"k":1},"list":[1,"YQ=="],"flag":true,"big":1099511627776},"DeliveryMode":2,"Priority":0,"CorrelationId":"6f1c-corr","ReplyTo":"amq.gen-reply","Expiration":null,"MessageId":"m1","Timestamp":{"UnixTime":0},"Type":null,"UserId":null,"AppId":null,"ClusterId":null,"ProtocolClassId":60,"ProtocolClassName":"basic","Persistent":true,"ReplyToAddress":null}
        """;

    /// <summary>RabbitMQ.Client 6.4.0, a request published with delivery_mode only.</summary>
    public const string Client6Bare = """
        {"ContentType":null,"ContentEncoding":null,"Headers":null,"DeliveryMode":2,"Priority":0,"CorrelationId":null,"ReplyTo":null,"Expiration":null,"MessageId":null,"Timestamp":{"UnixTime":0},"Type":null,"UserId":null,"AppId":null,"ClusterId":null,"ProtocolClassId":60,"ProtocolClassName":"basic","Persistent":true,"ReplyToAddress":null}
        """;

    /// <summary>RabbitMQ.Client 7.2.2 (ReadOnlyBasicProperties), the same request as <see cref="Client6Request"/>.</summary>
    public const string Client7Request = """
        {"ContentType":"application/json","ContentEncoding":null,"Headers":{"x-ms-rabbitmq-requeuecount":2,"trace":"YWJj","nested":{"k":1},"list":[1,"YQ=="],"flag":true,"big":1099511627776},"DeliveryMode":2,"Priority":0,"CorrelationId":"6f1c-corr","ReplyTo":"amq.gen-reply","Expiration":null,"MessageId":"m1","Timestamp":{"UnixTime":0},"Type":null,"UserId":null,"AppId":null,"ClusterId":null,"Persistent":true,"ReplyToAddress":null}
        """;
}
