// Package policy decides a device's power budget, in watts, at any moment,
// from the owner's Policy and what is known at that moment (Inputs): the
// time, the device's maximum and idle draw, its temperature and the
// signals posted for it. The agent's governor keeps the device under the
// Budget that Evaluate gives, and shows its Reasons in the status. Split
// shares a pool's total among devices, at the gateway.
//
// # The budget
//
// Evaluate applies these steps in order; each can only lower the budget,
// except the schedule, which replaces the constant:
//
//  1. The constant, Policy.Watts, or the device's maximum when it is 0.
//  2. The schedule, where one of its rules or its default matches now:
//     its watts replace the constant.
//  3. Signals, each until its Expires: a solar surplus caps the budget at
//     its Watts (several: the lowest); a heat demand (boiler mode: the
//     devices heat the house) caps it at Demand × the device's maximum
//     (several: the one with the latest Expires). Expired and malformed
//     signals are ignored, and the reasons say so.
//  4. The device's maximum.
//  5. Thermal derating: above SoftC (70 °C by default) the budget shrinks
//     linearly, to 0 at HardC (80 °C); at or above HardC work stops.
//     With the defaults, 74 °C leaves 60%, 78 °C 20%. An unknown
//     temperature (NaN) derates nothing.
//
// When the result is 0, or below the device's idle draw, the budget is
// Paused: all work pauses, since a device that cannot even idle within its
// budget does nothing useful with it.
//
// # Schedules
//
// A schedule is text, one rule per line:
//
//	# night tariff: compute more at night
//	default 6W
//	mon-fri 23:00-07:00 12W
//	sat,sun 00:00-24:00 10W
//	*       13:00-15:00 0W     # quiet hours (0 W pauses work)
//
// The grammar, as ParseSchedule reads it:
//
//	line    = [ rule ] [ "#" comment ]      blank lines and comments are skipped
//	rule    = "default" watts               at most one; where no other rule matches
//	        | days times watts              tokens separated by spaces or tabs
//	days    = "*" | item { "," item }       "*" is every day
//	item    = day | day "-" day             a range; "fri-mon" wraps: fri sat sun mon
//	day     = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun"
//	times   = clock "-" clock               one token, no spaces: 23:00-07:00
//	clock   = H:MM or HH:MM                 00:00 to 23:59; 24:00 only as an end
//	watts   = digits [ "." digits ] "W"     12W, 12.5W, 0W (one token: not "12 W")
//	        | "off"                         0 W
//
// Keywords, days and the W are read in any case. A time range is half
// open: 13:00-15:00 covers 13:00 up to, not including, 15:00. A range
// whose end is before its start crosses midnight and belongs to the day
// it starts on: mon 23:00-07:00 covers Monday 23:00 to Tuesday 07:00, and
// sun 22:00-06:00 covers Sunday night into Monday morning. So mon-fri
// 23:00-07:00 covers the nights that start Monday to Friday: not Sunday
// night, but Friday night into Saturday. Write sun-thu 23:00-07:00 for
// the nights before working days.
//
// The last matching rule wins, so put exceptions below the general rules:
// in the example above the quiet hours hold on weekends too, while with
// the * line first the weekend line would override it. Times are the
// device's wall clock (Inputs.Now's location), so on the days clocks
// change a rule covers an hour more or less.
//
// Errors name the line: `schedule line 3: unknown day "mnd"`.
//
// # Example
//
// A Raspberry Pi 4 (idle 2.7 W, maximum 6.4 W) with the policy
//
//	{"watts": 4, "schedule": "mon-fri 23:00-07:00 12W\nsat,sun 00:00-24:00 5W\n* 13:00-15:00 off"}
//
// gets these budgets (ExamplePolicy_Evaluate prints them with their
// reasons):
//
//	when                    input            budget   why
//	Tuesday 03:00           50 °C            6.4 W    mon-fri 23:00-07:00 12W (Monday's night), capped at the maximum
//	Tuesday 03:00           74 °C            3.84 W   the same, derated to 60%
//	Monday 03:00                             4 W      Sunday's night is not mon-fri: no rule, the constant
//	Wednesday 10:00                          4 W      no rule: the constant
//	Wednesday 10:00         solar 3.5 W      3.5 W    capped by the surplus
//	Wednesday 10:00         heat 0.5         3.2 W    0.5 × 6.4 W
//	Wednesday 10:00         expired heat     4 W      "signal heat (thermostat) expired 1h ago, ignored"
//	Wednesday 10:00         76 °C            1.6 W    derated to 40%: below the idle 2.7 W, paused
//	Wednesday 14:00                          0 W      quiet hours: paused
//	Saturday 10:00                           5 W      sat,sun 00:00-24:00 5W
//	Saturday 14:00                           0 W      the quiet hours come last, so they win: paused
//
// # Pools
//
// Split shares a total (a household budget, a solar surplus posted to the
// gateway) among devices: each device gets its idle draw first, lowest
// idle first, while the total lasts (the others get 0), then the rest in
// proportion to each running device's MaxW - IdleW, up to its maximum.
// 10 W among a Pi 4 (2.7 to 6.4 W), a Pi 5 (3 to 8 W) and a SheevaPlug
// (5 to 7 W) gives the Pi 4 4.53 W, the Pi 5 5.47 W and the plug 0.
//
// # Validation
//
// Check (Policy, Signal) and CheckWatts validate what people and devices
// send, at the API edge; their errors wrap ErrBadPolicy and name the field
// or schedule line. A budget of more than ten times the device's maximum is
// refused as a likely typo or unit mistake. Evaluate never fails: given
// something Check would refuse, it answers on the safe side and the
// reasons say what it ignored.
//
// # Caveats
//
// Signal.Expires is a moment, read against the device's clock: a device
// whose clock runs behind keeps an expired signal longer, and one that runs
// ahead drops a live one early. Senders should post again well before
// their signals expire (every minute for a five-minute expiry, say).
//
// Evaluate parses each schedule text once and keeps the result in a small
// package-level memo (emptied beyond 64 texts), not in the Policy: callers
// copy policies freely, and a cache inside the copy would be lost.
package policy
