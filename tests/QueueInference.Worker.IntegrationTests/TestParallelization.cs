// The broker and cluster collections run one after the other: on a two-core CI machine a cluster
// booting or failing over beside the broker tests would bend their timings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
