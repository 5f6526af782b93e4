package discovery

// AnnounceOnce announces self on the named interfaces once, as Run does as
// it starts, and closes its sockets without saying goodbye: a node that
// died. For tests of expiry.
func AnnounceOnce(cfg Config, self Announcement, ifaces []string) error {
	d := New(cfg, self)
	nics, err := systemNICs()
	if err != nil {
		return err
	}
	l, err := pickLinks(nics, ifaces)
	if err != nil {
		return err
	}
	a := &announcer{d: d}
	if err := a.start(l); err != nil {
		return err
	}
	a.mu.Lock()
	conn := a.conn
	a.closed, a.conn = true, nil
	a.announceAgain.Stop()
	a.mu.Unlock()
	return conn.Close()
}
