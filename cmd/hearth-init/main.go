// Command hearth-init is PID 1 of the Hearth appliance image: it is /init
// in the initramfs. Its work is in firmware/init (package hearthinit);
// this is the thin main. On a running appliance, `hearth-init reboot` and
// `hearth-init poweroff` ask PID 1 to stop the role and reboot.
package main

import (
	"os"

	hearthinit "github.com/hearth-home/hearth/firmware/init"
)

// version is set at link time by the Makefile.
var version = "dev"

func main() {
	os.Exit(hearthinit.Main(os.Args[1:], version))
}
