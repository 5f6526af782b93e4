package speed

// The kernel, in Go:
//
//	func mix(n, x uint32) uint32 {
//		for i := uint32(0); i != n; i++ {
//			for range rounds { // unrolled
//				x ^= x << 13
//				x ^= x >> 17
//				x ^= x << 5
//			}
//			x += i
//		}
//		return x
//	}
//
// and the module exports it as "mix" (param i32 i32) (result i32).
//
// The rounds are unrolled so that a loop iteration is mostly arithmetic,
// as in real code: wazero checks for interruption at every backward branch
// (WithCloseOnContextDone, which the agent's runtime sets), and with a
// single round that check alone made the compiled kernel 14 times slower.

// wasm opcodes used by the kernel.
const (
	opBlock    = 0x02
	opLoop     = 0x03
	opBr       = 0x0c
	opBrIf     = 0x0d
	opEnd      = 0x0b
	opLocalGet = 0x20
	opLocalSet = 0x21
	opI32Const = 0x41
	opI32Eq    = 0x46
	opI32Add   = 0x6a
	opI32Xor   = 0x73
	opI32Shl   = 0x74
	opI32ShrU  = 0x76
	typeI32    = 0x7f
	blockEmpty = 0x40
)

// rounds of xorshift in one iteration of the kernel.
const rounds = 8

// mix is the kernel in Go; the module's must agree with it. Its rounds
// are written out, as the module's are, so that both do the same work per
// iteration without a loop of their own.
func mix(n, x uint32) uint32 {
	for i := uint32(0); i != n; i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		x += i
	}
	return x
}

// module returns the kernel as a wasm module.
func module() []byte {
	const n, x, i = 0, 1, 2 // locals: the two params, then the counter
	xorShift := func(op, by byte) []byte {
		// x ^= x op by
		return []byte{opLocalGet, x, opLocalGet, x, opI32Const, by, op, opI32Xor, opLocalSet, x}
	}
	var body []byte
	body = append(body, 1, 1, typeI32) // one group of locals: 1 x i32 (i)
	body = append(body,
		opBlock, blockEmpty,
		opLoop, blockEmpty,
		opLocalGet, i, opLocalGet, n, opI32Eq, opBrIf, 1, // i == n: leave the block
	)
	for range rounds {
		body = append(body, xorShift(opI32Shl, 13)...)
		body = append(body, xorShift(opI32ShrU, 17)...)
		body = append(body, xorShift(opI32Shl, 5)...)
	}
	body = append(body,
		opLocalGet, x, opLocalGet, i, opI32Add, opLocalSet, x, // x += i
		opLocalGet, i, opI32Const, 1, opI32Add, opLocalSet, i, // i++
		opBr, 0, // again
		opEnd, // loop
		opEnd, // block
		opLocalGet, x,
		opEnd, // function
	)
	code := append(uleb(uint32(len(body))), body...)

	m := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	m = section(m, 1, []byte{1, 0x60, 2, typeI32, typeI32, 1, typeI32}) // type: (i32 i32) -> i32
	m = section(m, 3, []byte{1, 0})                                     // function 0 has type 0
	m = section(m, 7, []byte{1, 3, 'm', 'i', 'x', 0x00, 0})             // export "mix" = func 0
	m = section(m, 10, append([]byte{1}, code...))                      // code
	return m
}

func section(m []byte, id byte, content []byte) []byte {
	m = append(m, id)
	m = append(m, uleb(uint32(len(content)))...)
	return append(m, content...)
}

func uleb(v uint32) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}
