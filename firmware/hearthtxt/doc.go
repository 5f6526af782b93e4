// Package hearthtxt reads and writes hearth.txt, the provisioning file on a
// Hearth appliance's FAT boot partition.
//
// People edit the file in Notepad before the first boot, so the format is
// forgiving where it can be and precise where it cannot: "key = value" lines,
// whole-line "#" comments, blank lines, CRLF or LF line ends, an optional
// UTF-8 byte order mark, keys in any case, values optionally in double
// quotes. Every mistake is reported with its line number and what to write
// instead, and a mistake in one line never loses the others: Parse returns
// everything it could read together with the errors.
//
// The secrets (token and wifi_psk) leave the card at first boot: hearth-init
// stores them on the data partition and rewrites their lines with Redact to
// "token = (stored)", which parses as Stored.
package hearthtxt
