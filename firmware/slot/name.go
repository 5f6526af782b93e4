package slot

// Name is a root slot: A or B.
type Name string

// The slots.
const (
	A Name = "A"
	B Name = "B"
)

// Partition numbers on the boot disk, as the image builder lays them out
// and the boot script loads them.
const (
	PartBoot  = 1
	PartSlotA = 2
	PartSlotB = 3
	PartData  = 4
)

// Other is the slot that is not s.
func (s Name) Other() Name {
	if s == B {
		return A
	}
	return B
}

// Partition is the slot's partition number.
func (s Name) Partition() int {
	if s == B {
		return PartSlotB
	}
	return PartSlotA
}

// Valid reports whether s is A or B.
func (s Name) Valid() bool { return s == A || s == B }
