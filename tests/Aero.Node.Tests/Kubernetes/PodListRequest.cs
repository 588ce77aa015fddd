namespace Aero.Node.Tests.Kubernetes;

/// <summary>A pod list the <see cref="FakeKubernetesApi"/> was asked for, and whether it presented the service account's token.</summary>
public sealed record PodListRequest(string? Namespace, string? LabelSelector, bool Authorized);
