package datasources

// UseReflectionConversion makes Read convert snapshots with the framework's
// reflection (types.ListValueFrom on typed models) instead of snapshotsValue, for
// the benchmark that compares whole reads; call the returned function to undo it.
func UseReflectionConversion() (restore func()) {
	convertSnapshots = snapshotsValueReflect
	return func() { convertSnapshots = snapshotsValue }
}
