// The advisory lock between publications and garbage collection. A publication holds it shared from
// the moment it looks for already-stored content-addressed files until its transaction commits; garbage
// collection holds it exclusively while it decides which `files/` objects nothing references and deletes
// them. So an object a publication found (and will reference without writing it again) is never deleted
// underneath it.
export const GC_LOCK = [0x706c6763, 1] as const;
