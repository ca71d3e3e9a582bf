using Amazon.S3;
using Amazon.S3.Model;

namespace LitestreamActors.Storage.Replica.S3;

/// <summary>The storage class and server-side encryption settings every write request carries.</summary>
internal static class S3Requests
{
    public static void Apply(S3Location location, PutObjectRequest request)
    {
        request.StorageClass = StorageClass(location);
        request.ServerSideEncryptionMethod = KmsMethod(location);
        request.ServerSideEncryptionKeyManagementServiceKeyId = location.SseKmsKeyId;
        (request.ServerSideEncryptionCustomerMethod, request.ServerSideEncryptionCustomerProvidedKey) = CustomerKey(location);
    }

    public static void Apply(S3Location location, InitiateMultipartUploadRequest request)
    {
        request.StorageClass = StorageClass(location);
        request.ServerSideEncryptionMethod = KmsMethod(location);
        request.ServerSideEncryptionKeyManagementServiceKeyId = location.SseKmsKeyId;
        (request.ServerSideEncryptionCustomerMethod, request.ServerSideEncryptionCustomerProvidedKey) = CustomerKey(location);
    }

    public static void Apply(S3Location location, UploadPartRequest request) =>
        (request.ServerSideEncryptionCustomerMethod, request.ServerSideEncryptionCustomerProvidedKey) = CustomerKey(location);

    private static S3StorageClass? StorageClass(S3Location location) =>
        location.StorageClass is { } name ? S3StorageClass.FindValue(name) : null;

    private static ServerSideEncryptionMethod? KmsMethod(S3Location location) =>
        location.SseKmsKeyId is not null ? ServerSideEncryptionMethod.AWSKMS : null;

    private static (ServerSideEncryptionCustomerMethod?, string?) CustomerKey(S3Location location) =>
        location.SseCustomerKey is { } key ? (new ServerSideEncryptionCustomerMethod(location.SseCustomerAlgorithm), key) : (null, null);
}
