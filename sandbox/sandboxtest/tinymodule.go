package sandboxtest

// TinyModule is a WASI command, hand assembled, that writes "ok\n" to
// stdout and returns: the cheapest task there is. It starts with minPages
// of memory. Without the WASI ABI's exports it is no command at all.
func TinyModule(minPages uint32, asCommand bool) []byte {
	uleb := func(v uint32) []byte {
		var b []byte
		for {
			c := byte(v & 0x7f)
			if v >>= 7; v != 0 {
				b = append(b, c|0x80)
				continue
			}
			return append(b, c)
		}
	}
	str := func(s string) []byte { return append(uleb(uint32(len(s))), s...) }
	section := func(id byte, parts ...[]byte) []byte {
		var payload []byte
		for _, p := range parts {
			payload = append(payload, p...)
		}
		return append(append([]byte{id}, uleb(uint32(len(payload)))...), payload...)
	}
	const i32 = 0x7f
	m := []byte("\x00asm\x01\x00\x00\x00")
	// Types: 0 = fd_write (i32 i32 i32 i32) -> i32, 1 = () -> ().
	m = append(m, section(1, uleb(2), []byte{0x60, 4, i32, i32, i32, i32, 1, i32}, []byte{0x60, 0, 0})...)
	m = append(m, section(2, uleb(1), str("wasi_snapshot_preview1"), str("fd_write"), []byte{0x00, 0})...)
	m = append(m, section(3, uleb(1), uleb(1))...)
	m = append(m, section(5, uleb(1), []byte{0x00}, uleb(minPages))...)
	if asCommand {
		m = append(m, section(7, uleb(2), str("memory"), []byte{0x02, 0}, str("_start"), []byte{0x00, 1})...)
	}
	// fd_write(1, iovs=0, 1 iov, nwritten=16); drop the errno.
	body := []byte{0x00, 0x41, 1, 0x41, 0, 0x41, 1, 0x41, 16, 0x10, 0, 0x1a, 0x0b}
	m = append(m, section(10, uleb(1), uleb(uint32(len(body))), body)...)
	// At 0 the iovec {buf: 8, len: 3}, at 8 the bytes.
	data := []byte{8, 0, 0, 0, 3, 0, 0, 0, 'o', 'k', '\n'}
	m = append(m, section(11, uleb(1), []byte{0x00, 0x41, 0, 0x0b}, uleb(uint32(len(data))), data)...)
	return m
}
