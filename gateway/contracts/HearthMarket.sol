// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @title Hearth compute market
/// @notice A home pool sells compute as one provider. Requesters keep escrow
/// here and post orders (an app, its inputs, a task count and a price per
/// task); a provider accepts orders in batches, runs them off chain, and
/// settles them in batches: per order one Merkle root of its tasks' result
/// digests, payment for the tasks done and a refund of the rest. Money moves
/// only by internal balances; withdraw() is the one place Ether leaves, so
/// settling many orders costs a few storage writes each and no transfers.
/// A replicated order is run by several providers apart: each joins, commits
/// to its result root, then reveals it, and the root a quorum of them
/// reveals settles it (docs/certification.md). docs/market.md describes the
/// life cycle and the Merkle tree.
contract HearthMarket {
    enum Status {
        None,
        Open,
        Accepted,
        Settled,
        Reclaimed,
        Disputed // a replicated order whose reveals reached no quorum
    }

    enum Runtime {
        Wasm,
        Oci
    }

    /// The pool's aggregate, as its gateway sees it.
    struct PoolInfo {
        uint32 devices;
        uint32 cores;
        uint64 memoryMiB;
        uint32 wattBudget;
        string runtimes; // comma separated: "wasm,oci"
        string platforms; // comma separated: "linux/amd64,linux/arm/v6"
    }

    /// A provider, in one slot but for its endpoint: a join and a seat's
    /// payment each write it once (its registration time is its
    /// ProviderRegistered event's block).
    struct Provider {
        uint96 stake;
        uint96 locked; // stake its open seats risk: a seat needs stake - locked to cover it
        uint32 openOrders; // accepted or joined, not yet settled, resolved or reclaimed
        bool active;
        uint24 number; // its number in replicated orders' seats, from 1
        string endpoint;
    }

    /// What an order needs on chain. Its full description (app URI, inputs,
    /// args) is in its OrderPosted event; specHash binds them.
    struct Order {
        address requester; //  slot 0
        uint96 pricePerTask;
        address provider; //   slot 1: zero while open to any provider
        uint40 deadline;
        uint24 tasks;
        uint24 tasksDone;
        Status status;
        bytes32 appDigest; //  slot 2
        bytes32 specHash; //   slot 3
        bytes32 resultRoot; // slot 4
    }

    /// One order's settlement in a batch (and one reveal of a replicated
    /// order: a batch of them is what a provider commits to).
    struct Settlement {
        uint256 id;
        bytes32 resultRoot;
        uint24 tasksDone;
    }

    /// A replicated order's replication, in one slot: its seats, who sits
    /// in each, and how far each seat got. Its Order's provider stays zero;
    /// pricePerTask is what each agreeing provider earns per task done.
    /// While the order runs its resultRoot and tasksDone are the first
    /// reveal's, and the seats that revealed the same are in agreeing; once
    /// Settled they are the quorum's.
    struct Replication {
        uint8 replicas; //  providers that run it apart (2 to 6)
        uint8 quorum; //    equal reveals that settle it: more than half
        uint8 joined; //    seats taken
        uint8 committed; // bit i: seat i committed
        uint8 revealed; //  bit i: seat i revealed
        uint8 agreeing; //  bit i: seat i revealed the order's resultRoot and tasksDone
        uint8 resolved; //  bit i: seat i was paid, or slashed, or released
        uint192 seats; //   seat i's provider number in bits 32i to 32i+31
    }

    /// How long after an order's deadline its providers may still reveal
    /// before anyone may finalize it with the reveals made.
    uint256 public constant REVEAL_WINDOW = 1 hours;

    /// A replicated order takes seats until this long before its deadline,
    /// so that every seat has that long to commit once the last is taken.
    uint256 public constant JOIN_MARGIN = 10 minutes;

    /// A replicated order's resultRoot before its first reveal.
    bytes32 public constant UNREVEALED = bytes32(uint256(1));

    uint256 public immutable minStake;
    uint256 public orderCount;
    mapping(address => Provider) public providers;
    mapping(address => uint256) public balanceOf; // free escrow and earnings
    mapping(uint256 => Order) internal orders;
    mapping(uint256 => Replication) public replication;
    /// Stake taken from providers outside a replicated order's quorum. It
    /// is burned, kept by the contract for good: paid to the requester or
    /// to the majority, it would pay whoever fills an order's seats with
    /// accounts of their own to outvote an honest provider.
    uint256 public burned;
    /// The providers by number (seats name providers by number).
    mapping(uint32 => address) public providerAt;
    uint32 public providerCount;
    /// A provider's commitments: sealOf(provider, batch) -> the hash of the
    /// order IDs it was committed for, until the batch is revealed.
    mapping(address => mapping(bytes32 => bytes32)) public committedIds;
    /// A revealed vote that differs from the order's first reveal, by order
    /// and seat: keccak256(abi.encode(resultRoot, tasksDone)).
    mapping(uint256 => mapping(uint256 => bytes32)) internal dissent;

    event ProviderRegistered(address indexed provider, uint256 stake, string endpoint, PoolInfo info);
    event ProviderUpdated(address indexed provider, string endpoint, PoolInfo info);
    event ProviderExited(address indexed provider, uint256 stake);
    event Deposited(address indexed account, uint256 amount, uint256 balance);
    event Withdrawn(address indexed account, uint256 amount, uint256 balance);
    event OrderPosted(
        uint256 indexed id,
        address indexed requester,
        address indexed provider,
        bytes32 appDigest,
        string appURI,
        Runtime runtime,
        bytes32[] inputs,
        string[] args,
        uint24 tasks,
        uint96 pricePerTask,
        uint40 deadline
    );
    event OrderAccepted(uint256 indexed id, address indexed provider);
    event OrderSettled(
        uint256 indexed id,
        address indexed provider,
        bytes32 resultRoot,
        uint24 tasksDone,
        uint256 paid,
        uint256 refunded
    );
    event OrderReclaimed(uint256 indexed id, address indexed requester, uint256 refunded);
    event OrderReplicated(uint256 indexed id, uint8 replicas, uint8 quorum);
    /// One per joinOrders: one event per batch, not per order, costs a
    /// provider about 1,500 gas less per order.
    event OrdersJoined(address indexed provider, uint256[] ids);
    /// One per commitResults.
    event ResultsCommitted(address indexed provider, bytes32 seal, uint256[] ids);
    /// One per revealResults: the batch revealed.
    event ResultsRevealed(address indexed provider, Settlement[] batch);
    event ProviderSlashed(uint256 indexed id, address indexed provider, uint256 amount);
    event OrderDisputed(uint256 indexed id, uint256 refunded);

    error StakeTooLow(uint256 sent, uint256 min);
    error AlreadyRegistered(address provider);
    error NotProvider(address account);
    error ProviderBusy(uint32 openOrders);
    error ZeroAmount();
    error InsufficientBalance(uint256 balance, uint256 needed);
    error InsufficientEscrow(uint256 balance, uint256 needed);
    error BadOrder(string reason);
    error DeadlinePassed(uint256 id, uint256 deadline);
    error DeadlineNotPassed(uint256 id, uint256 deadline);
    error WrongStatus(uint256 id, Status status);
    error NotYourOrder(uint256 id);
    error TooManyTasksDone(uint256 id, uint256 tasksDone, uint256 tasks);
    error TransferFailed();
    error NotReplicated(uint256 id);
    error AlreadyJoined(uint256 id, address provider);
    error NotJoined(uint256 id, address provider);
    error WrongStep(uint256 id, uint8 step); // 0: a replicated order; 1: joined, 2: committed, 3: revealed
    error RevealTooEarly(uint256 id, uint8 committed, uint8 replicas);
    error RevealMismatch(uint256 id);
    error FinalizeTooEarly(uint256 id, uint256 at);

    constructor(uint256 minStake_) {
        minStake = minStake_;
    }

    // ---- providers ----

    /// Register the sender as a provider, staking msg.value.
    function register(string calldata endpoint, PoolInfo calldata info) external payable {
        Provider storage p = providers[msg.sender];
        if (p.active) revert AlreadyRegistered(msg.sender);
        if (msg.value < minStake) revert StakeTooLow(msg.value, minStake);
        if (msg.value > type(uint96).max) revert BadOrder("stake above 2^96 wei");
        p.stake = uint96(msg.value);
        if (p.number == 0) {
            uint32 n = ++providerCount;
            if (n > type(uint24).max) revert BadOrder("no provider number left");
            p.number = uint24(n);
            providerAt[n] = msg.sender;
        }
        p.active = true;
        p.endpoint = endpoint;
        emit ProviderRegistered(msg.sender, msg.value, endpoint, info);
    }

    /// Publish the pool's new aggregate or endpoint (devices come and go).
    function updateProvider(string calldata endpoint, PoolInfo calldata info) external {
        Provider storage p = providers[msg.sender];
        if (!p.active) revert NotProvider(msg.sender);
        p.endpoint = endpoint;
        emit ProviderUpdated(msg.sender, endpoint, info);
    }

    /// Leave the market; the stake goes to the provider's balance. Only when
    /// no accepted order is waiting for its settlement.
    function exit() external {
        Provider storage p = providers[msg.sender];
        if (!p.active) revert NotProvider(msg.sender);
        if (p.openOrders != 0) revert ProviderBusy(p.openOrders);
        uint256 stake = p.stake;
        p.active = false;
        p.stake = 0;
        balanceOf[msg.sender] += stake;
        emit ProviderExited(msg.sender, stake);
    }

    // ---- escrow ----

    function deposit() external payable {
        if (msg.value == 0) revert ZeroAmount();
        uint256 b = balanceOf[msg.sender] + msg.value;
        balanceOf[msg.sender] = b;
        emit Deposited(msg.sender, msg.value, b);
    }

    /// Withdraw free balance (escrow not locked in orders, and earnings).
    function withdraw(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 b = balanceOf[msg.sender];
        if (amount > b) revert InsufficientBalance(b, amount);
        balanceOf[msg.sender] = b - amount; // effects before the interaction
        emit Withdrawn(msg.sender, amount, b - amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // ---- orders ----

    /// Post an order, locking tasks*pricePerTask of the sender's balance.
    /// provider is who may accept it (zero: any registered provider).
    function postOrder(
        address provider,
        bytes32 appDigest,
        string calldata appURI,
        Runtime runtime,
        bytes32[] calldata inputs,
        string[] calldata args,
        uint24 tasks,
        uint96 pricePerTask,
        uint40 deadline
    ) external returns (uint256 id) {
        id = _post(provider, appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline, 1);
    }

    /// Post an order that replicas distinct providers each run apart, locking
    /// replicas*tasks*pricePerTask. It settles on the result root and tasks
    /// done that quorum of them reveal (more than half, so that two roots
    /// cannot both reach it): those providers are paid pricePerTask per task
    /// done, every other provider that joined loses part of its stake (it is
    /// burned), and the rest is refunded. No quorum: all is refunded and the
    /// order is Disputed.
    function postReplicatedOrder(
        bytes32 appDigest,
        string calldata appURI,
        Runtime runtime,
        bytes32[] calldata inputs,
        string[] calldata args,
        uint24 tasks,
        uint96 pricePerTask,
        uint40 deadline,
        uint8 replicas,
        uint8 quorum
    ) external returns (uint256 id) {
        if (replicas < 2 || replicas > 6) revert BadOrder("replicas must be 2 to 6");
        if (quorum <= replicas / 2 || quorum > replicas) revert BadOrder("quorum must be more than half the replicas");
        id = _post(address(0), appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline, replicas);
        replication[id] = Replication({
            replicas: replicas,
            quorum: quorum,
            joined: 0,
            committed: 0,
            revealed: 0,
            agreeing: 0,
            resolved: 0,
            seats: 0
        });
        emit OrderReplicated(id, replicas, quorum);
    }

    function _post(
        address provider,
        bytes32 appDigest,
        string calldata appURI,
        Runtime runtime,
        bytes32[] calldata inputs,
        string[] calldata args,
        uint24 tasks,
        uint96 pricePerTask,
        uint40 deadline,
        uint256 replicas
    ) internal returns (uint256 id) {
        if (tasks == 0) revert BadOrder("no tasks");
        if (appDigest == bytes32(0)) revert BadOrder("no app digest");
        if (deadline <= block.timestamp) revert DeadlinePassed(0, deadline);
        uint256 cost = uint256(tasks) * pricePerTask * replicas;
        uint256 b = balanceOf[msg.sender];
        if (cost > b) revert InsufficientEscrow(b, cost);
        balanceOf[msg.sender] = b - cost;
        id = ++orderCount;
        orders[id] = Order({
            requester: msg.sender,
            pricePerTask: pricePerTask,
            provider: provider,
            deadline: deadline,
            tasks: tasks,
            tasksDone: 0,
            status: Status.Open,
            appDigest: appDigest,
            specHash: keccak256(abi.encode(appURI, runtime, inputs, args)),
            // A replicated order's first reveal writes its root here: the
            // requester pays for the slot now, not that provider (17,100
            // gas less per order for it).
            resultRoot: replicas > 1 ? UNREVEALED : bytes32(0)
        });
        emit OrderPosted(
            id, msg.sender, provider, appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline
        );
    }

    /// Accept open orders. The whole batch fails if one cannot be accepted,
    /// naming it, so a provider checks them first (the gateway does).
    function acceptOrders(uint256[] calldata ids) external {
        Provider storage p = providers[msg.sender];
        if (!p.active) revert NotProvider(msg.sender);
        for (uint256 i = 0; i < ids.length; i++) {
            uint256 id = ids[i];
            Order storage o = orders[id];
            if (o.status != Status.Open) revert WrongStatus(id, o.status);
            if (o.provider != address(0) && o.provider != msg.sender) revert NotYourOrder(id);
            if (o.deadline <= block.timestamp) revert DeadlinePassed(id, o.deadline);
            if (replication[id].replicas != 0) revert WrongStep(id, 0); // joinOrders
            o.provider = msg.sender;
            o.status = Status.Accepted;
            emit OrderAccepted(id, msg.sender);
        }
        p.openOrders += uint32(ids.length);
    }

    /// Settle accepted orders: record each one's result root, pay for the
    /// tasks done and refund the rest. Settling an order twice fails.
    function settle(Settlement[] calldata batch) external {
        Provider storage p = providers[msg.sender];
        uint256 earned;
        for (uint256 i = 0; i < batch.length; i++) {
            Settlement calldata s = batch[i];
            Order storage o = orders[s.id];
            if (o.status != Status.Accepted) revert WrongStatus(s.id, o.status);
            if (o.provider != msg.sender) revert NotYourOrder(s.id);
            uint256 tasks = o.tasks;
            if (s.tasksDone > tasks) revert TooManyTasksDone(s.id, s.tasksDone, tasks);
            uint256 price = o.pricePerTask;
            o.status = Status.Settled;
            o.tasksDone = s.tasksDone;
            o.resultRoot = s.resultRoot;
            uint256 paid = price * s.tasksDone;
            uint256 refund = price * (tasks - s.tasksDone);
            earned += paid;
            if (refund != 0) balanceOf[o.requester] += refund;
            emit OrderSettled(s.id, msg.sender, s.resultRoot, s.tasksDone, paid, refund);
        }
        p.openOrders -= uint32(batch.length);
        if (earned != 0) balanceOf[msg.sender] += earned;
    }

    /// After its deadline, the requester takes back the escrow of an order
    /// that was not settled.
    /// A replicated order that not every provider joined may be reclaimed
    /// by anyone (a provider that joined, to leave it), for its requester.
    function reclaim(uint256 id) external {
        Order storage o = orders[id];
        Replication storage rep = replication[id];
        if (o.requester != msg.sender && (rep.replicas == 0 || o.requester == address(0))) revert NotYourOrder(id);
        if (o.status != Status.Open && o.status != Status.Accepted) revert WrongStatus(id, o.status);
        if (block.timestamp < o.deadline) revert DeadlineNotPassed(id, o.deadline);
        uint256 replicas = 1;
        if (rep.replicas != 0) {
            // Replicated: once every provider joined it ends by finalize.
            if (o.status == Status.Accepted) revert WrongStatus(id, o.status);
            replicas = rep.replicas;
            uint256 atRisk = uint256(o.tasks) * o.pricePerTask;
            for (uint256 i = 0; i < rep.joined; i++) {
                Provider storage p = providers[_seated(rep.seats, i)];
                p.openOrders -= 1;
                p.locked -= uint96(atRisk);
            }
        } else if (o.status == Status.Accepted) {
            providers[o.provider].openOrders -= 1;
        }
        o.status = Status.Reclaimed;
        uint256 refund = uint256(o.tasks) * o.pricePerTask * replicas;
        balanceOf[o.requester] += refund;
        emit OrderReclaimed(id, o.requester, refund);
    }

    // ---- replicated orders ----

    /// Join open replicated orders, each in a seat of its own. An order is
    /// Accepted once its last seat is taken. The whole batch fails if one
    /// cannot be joined, naming it.
    function joinOrders(uint256[] calldata ids) external {
        Provider storage p = providers[msg.sender];
        if (!p.active) revert NotProvider(msg.sender);
        uint256 number = p.number;
        uint256 stake = p.stake;
        uint256 locked = p.locked;
        for (uint256 i = 0; i < ids.length; i++) {
            uint256 id = ids[i];
            Order storage o = orders[id];
            Replication memory rep = replication[id];
            if (rep.replicas == 0) revert NotReplicated(id);
            if (o.status != Status.Open) revert WrongStatus(id, o.status);
            if (uint256(o.deadline) <= block.timestamp + JOIN_MARGIN) revert DeadlinePassed(id, o.deadline);
            // A seat risks what the order would pay it: a provider whose
            // stake, less what its other open seats risk, cannot cover
            // that is refused.
            uint256 atRisk = uint256(o.tasks) * o.pricePerTask;
            uint256 free = stake > locked ? stake - locked : 0;
            if (free < atRisk) revert StakeTooLow(free, atRisk);
            locked += atRisk;
            for (uint256 j = 0; j < rep.joined; j++) {
                if ((rep.seats >> (32 * j)) & 0xffffffff == number) revert AlreadyJoined(id, msg.sender);
            }
            rep.seats |= uint192(number << (32 * uint256(rep.joined)));
            rep.joined++;
            replication[id] = rep;
            if (rep.joined == rep.replicas) o.status = Status.Accepted;
        }
        p.openOrders += uint32(ids.length);
        p.locked = uint96(locked);
        emit OrdersJoined(msg.sender, ids);
    }

    /// The seal of a batch of reveals: what a provider commits to before it
    /// reveals them. It names the provider, so that another cannot reveal a
    /// copy of it as its own.
    function sealOf(address provider, Settlement[] calldata batch) public pure returns (bytes32) {
        return keccak256(abi.encode(provider, batch));
    }

    /// Commit to the results of orders ids with one seal,
    /// sealOf(sender, batch), where batch holds one Settlement for each of
    /// ids in the same order. Only once every seat of each order is taken
    /// and before its deadline; each seat commits once. The reveal is one
    /// revealResults(batch).
    function commitResults(uint256[] calldata ids, bytes32 seal) external {
        if (seal == bytes32(0)) revert BadOrder("zero commitment");
        if (ids.length == 0) revert BadOrder("no orders");
        if (committedIds[msg.sender][seal] != bytes32(0)) revert BadOrder("commitment used");
        uint256 number = providers[msg.sender].number;
        for (uint256 i = 0; i < ids.length; i++) {
            uint256 id = ids[i];
            Order storage o = orders[id];
            if (o.status != Status.Accepted) revert WrongStatus(id, o.status);
            if (o.deadline <= block.timestamp) revert DeadlinePassed(id, o.deadline);
            Replication memory rep = replication[id];
            uint8 bit = _seatBit(id, rep, number);
            if (rep.committed & bit != 0) revert WrongStep(id, 2);
            rep.committed |= bit;
            replication[id] = rep;
        }
        committedIds[msg.sender][seal] = keccak256(abi.encode(ids));
        emit ResultsCommitted(msg.sender, seal, ids);
    }

    /// Reveal a committed batch, whole and in the order committed: each of
    /// its orders once every seat committed, or after its deadline (an
    /// order that ended meanwhile, finalized without this seat, is
    /// skipped). The reveal that brings a result to its quorum settles the
    /// order: the seats that revealed it are paid, those that revealed
    /// another result are slashed, and each later reveal is paid or
    /// slashed at once. The last reveal of an order that reached no quorum
    /// disputes it.
    function revealResults(Settlement[] calldata batch) external {
        bytes32 seal = sealOf(msg.sender, batch);
        bytes32 want = committedIds[msg.sender][seal];
        uint256[] memory ids = new uint256[](batch.length);
        for (uint256 i = 0; i < batch.length; i++) {
            ids[i] = batch[i].id;
        }
        if (want == bytes32(0) || want != keccak256(abi.encode(ids))) {
            revert RevealMismatch(batch.length == 0 ? 0 : batch[0].id);
        }
        delete committedIds[msg.sender][seal];
        uint256 number = providers[msg.sender].number;
        for (uint256 i = 0; i < batch.length; i++) {
            _reveal(batch[i], number);
        }
        emit ResultsRevealed(msg.sender, batch);
    }

    function _reveal(Settlement calldata s, uint256 number) internal {
        uint256 id = s.id;
        Order storage o = orders[id];
        Status status = o.status;
        Replication memory rep = replication[id];
        uint8 bit = _seatBit(id, rep, number);
        // An order that ended without this seat's reveal (finalized,
        // disputed) is skipped, so that the rest of its batch is revealed.
        if (status != Status.Accepted && status != Status.Settled || rep.resolved & bit != 0) return;
        uint8 all = uint8((1 << rep.replicas) - 1);
        if (rep.committed != all && block.timestamp <= o.deadline) {
            revert RevealTooEarly(id, _count(rep.committed), rep.replicas);
        }
        if (s.tasksDone > o.tasks) revert TooManyTasksDone(id, s.tasksDone, o.tasks);
        bool first = rep.revealed == 0;
        rep.revealed |= bit;
        if (status == Status.Settled) {
            // The quorum is in: this seat agrees with it or not.
            bool agrees = s.resultRoot == o.resultRoot && s.tasksDone == o.tasksDone;
            if (agrees) rep.agreeing |= bit;
            _resolve(o, id, rep, bit, agrees, false);
            replication[id] = rep;
            return;
        }
        uint8 winners;
        if (first) {
            o.resultRoot = s.resultRoot;
            o.tasksDone = s.tasksDone;
            rep.agreeing = bit;
            winners = bit;
        } else if (s.resultRoot == o.resultRoot && s.tasksDone == o.tasksDone) {
            rep.agreeing |= bit;
            winners = rep.agreeing;
        } else {
            // Another result than the first reveal's: counted against the
            // other dissenting reveals.
            bytes32 vote = keccak256(abi.encode(s.resultRoot, s.tasksDone));
            uint256 seat = _bitIndex(bit);
            dissent[id][seat] = vote;
            winners = bit;
            uint8 others = rep.revealed & ~rep.agreeing & ~bit;
            for (uint256 j = 0; j < rep.replicas; j++) {
                if (others & (1 << j) != 0 && dissent[id][j] == vote) winners |= uint8(1 << j);
            }
            if (_count(winners) >= rep.quorum) {
                o.resultRoot = s.resultRoot;
                o.tasksDone = s.tasksDone;
                rep.agreeing = winners;
            }
        }
        if (_count(winners) >= rep.quorum) {
            o.status = Status.Settled;
            uint256 paid;
            uint256 refunded;
            for (uint256 j = 0; j < rep.replicas; j++) {
                uint8 b = uint8(1 << j);
                if (rep.revealed & b == 0) continue;
                (uint256 pay, uint256 refund) = _resolve(o, id, rep, b, winners & b != 0, false);
                paid += pay;
                refunded += refund;
            }
            emit OrderSettled(id, address(0), o.resultRoot, o.tasksDone, paid, refunded);
        } else if (rep.revealed == all) {
            _dispute(o, id, rep);
        }
        replication[id] = rep;
    }

    /// End a replicated order after its reveal window (its deadline and
    /// REVEAL_WINDOW): a seat that never revealed is slashed, and an order
    /// that reached no quorum is Disputed. Anyone may call it.
    function finalize(uint256 id) external {
        Order storage o = orders[id];
        Replication memory rep = replication[id];
        if (rep.replicas == 0) revert NotReplicated(id);
        uint8 all = uint8((1 << rep.replicas) - 1);
        if (o.status != Status.Accepted && (o.status != Status.Settled || rep.resolved == all)) {
            revert WrongStatus(id, o.status);
        }
        if (block.timestamp <= uint256(o.deadline) + REVEAL_WINDOW) {
            revert FinalizeTooEarly(id, uint256(o.deadline) + REVEAL_WINDOW);
        }
        if (o.status == Status.Accepted) {
            _dispute(o, id, rep);
        } else {
            for (uint256 j = 0; j < rep.replicas; j++) {
                uint8 b = uint8(1 << j);
                if (rep.resolved & b == 0) _resolve(o, id, rep, b, false, false);
            }
        }
        replication[id] = rep;
    }

    /// No quorum: the requester gets the whole escrow back; a seat that
    /// never revealed is slashed all the same, the others are released.
    function _dispute(Order storage o, uint256 id, Replication memory rep) internal {
        o.status = Status.Disputed;
        uint256 refunded;
        for (uint256 j = 0; j < rep.replicas; j++) {
            uint8 b = uint8(1 << j);
            if (rep.resolved & b != 0) continue;
            (, uint256 refund) = _resolve(o, id, rep, b, false, rep.revealed & b != 0);
            refunded += refund;
        }
        emit OrderDisputed(id, refunded);
    }

    /// Pay seat bit of order id for the tasks done if it agrees, or slash
    /// it (unless released) and refund its share of the escrow; either way
    /// its provider leaves the order.
    function _resolve(Order storage o, uint256 id, Replication memory rep, uint8 bit, bool agrees, bool release)
        internal
        returns (uint256 pay, uint256 refund)
    {
        address provider = _seated(rep.seats, _bitIndex(bit));
        uint256 price = o.pricePerTask;
        uint256 share = uint256(o.tasks) * price;
        if (agrees) {
            pay = price * o.tasksDone;
            balanceOf[provider] += pay; // its ResultsRevealed and the order's OrderSettled say so
        } else if (!release) {
            // Disagreed, or never revealed: it loses what it would have
            // earned for the whole order.
            _slash(id, provider, share);
        }
        refund = share - pay;
        if (refund != 0) balanceOf[o.requester] += refund;
        Provider storage p = providers[provider];
        p.openOrders -= 1;
        p.locked -= uint96(share);
        rep.resolved |= bit;
    }

    /// The seat bit of the provider numbered number in order id.
    function _seatBit(uint256 id, Replication memory rep, uint256 number) internal view returns (uint8) {
        for (uint256 j = 0; j < rep.joined; j++) {
            if ((rep.seats >> (32 * j)) & 0xffffffff == number) return uint8(1 << j);
        }
        revert NotJoined(id, msg.sender);
    }

    /// The provider in seat j.
    function _seated(uint192 seats, uint256 j) internal view returns (address) {
        return providerAt[uint32(seats >> (32 * j))];
    }

    function _bitIndex(uint8 bit) internal pure returns (uint256 j) {
        while (bit > 1) {
            bit >>= 1;
            j++;
        }
    }

    function _count(uint8 bits) internal pure returns (uint8 n) {
        for (; bits != 0; bits &= bits - 1) {
            n++;
        }
    }

    /// Burn up to amount of provider's stake for order id.
    function _slash(uint256 id, address provider, uint256 amount) internal {
        Provider storage p = providers[provider];
        if (amount > p.stake) amount = p.stake;
        p.stake -= uint96(amount);
        burned += amount;
        emit ProviderSlashed(id, provider, amount);
    }

    function getOrder(uint256 id) external view returns (Order memory) {
        return orders[id];
    }

    /// The hash that binds an order's description in its OrderPosted event.
    function specHashOf(string calldata appURI, Runtime runtime, bytes32[] calldata inputs, string[] calldata args)
        external
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(appURI, runtime, inputs, args));
    }
}
