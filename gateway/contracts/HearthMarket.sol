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

    struct Provider {
        uint128 stake;
        uint64 since;
        uint32 openOrders; // accepted, not yet settled or reclaimed
        bool active;
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
    /// order).
    struct Settlement {
        uint256 id;
        bytes32 resultRoot;
        uint24 tasksDone;
    }

    /// A replicated order's replication, in one slot. Its Order's provider
    /// stays zero; pricePerTask is what each agreeing provider earns per
    /// task done.
    struct Replication {
        uint8 replicas; // providers that run it apart
        uint8 quorum; //   equal reveals that settle it: more than half
        uint8 joined;
        uint8 committed;
        uint8 revealed;
    }

    /// One provider's part in a replicated order: slot 0 who and whether it
    /// revealed, slot 1 its commitment (non-zero once it committed),
    /// replaced by its result root when it reveals.
    struct Part {
        address provider;
        uint24 tasksDone;
        bool revealed;
        bytes32 sealOrRoot;
    }

    /// One commitment in a batch: keccak256(abi.encode(provider, id,
    /// resultRoot, tasksDone)).
    struct Commitment {
        uint256 id;
        bytes32 hash;
    }

    /// How long after an order's deadline its providers may still reveal
    /// before anyone may finalize it with the reveals made.
    uint256 public constant REVEAL_WINDOW = 1 hours;

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
    mapping(uint256 => mapping(uint256 => Part)) internal parts; // order -> index -> part

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
    event OrderJoined(uint256 indexed id, address indexed provider, uint8 joined);
    event ResultCommitted(uint256 indexed id, address indexed provider);
    event ResultRevealed(uint256 indexed id, address indexed provider, bytes32 resultRoot, uint24 tasksDone);
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
        p.stake = uint128(msg.value);
        p.since = uint64(block.timestamp);
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
        if (replicas < 2 || replicas > 16) revert BadOrder("replicas must be 2 to 16");
        if (quorum <= replicas / 2 || quorum > replicas) revert BadOrder("quorum must be more than half the replicas");
        id = _post(address(0), appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline, replicas);
        replication[id] = Replication({replicas: replicas, quorum: quorum, joined: 0, committed: 0, revealed: 0});
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
            resultRoot: bytes32(0)
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
            for (uint256 i = 0; i < rep.joined; i++) {
                providers[parts[id][i].provider].openOrders -= 1;
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

    /// Join open replicated orders as one of their providers. An order is
    /// Accepted once its last provider joins. The whole batch fails if one
    /// cannot be joined, naming it.
    function joinOrders(uint256[] calldata ids) external {
        Provider storage p = providers[msg.sender];
        if (!p.active) revert NotProvider(msg.sender);
        for (uint256 i = 0; i < ids.length; i++) {
            uint256 id = ids[i];
            Order storage o = orders[id];
            Replication storage rep = replication[id];
            if (rep.replicas == 0) revert NotReplicated(id);
            if (o.status != Status.Open) revert WrongStatus(id, o.status);
            if (o.deadline <= block.timestamp) revert DeadlinePassed(id, o.deadline);
            // A seat risks what the order would pay it: a provider whose
            // stake cannot cover that is refused.
            uint256 atRisk = uint256(o.tasks) * o.pricePerTask;
            if (p.stake < atRisk) revert StakeTooLow(p.stake, atRisk);
            uint8 joined = rep.joined;
            for (uint256 j = 0; j < joined; j++) {
                if (parts[id][j].provider == msg.sender) revert AlreadyJoined(id, msg.sender);
            }
            parts[id][joined].provider = msg.sender;
            joined++;
            rep.joined = joined;
            if (joined == rep.replicas) o.status = Status.Accepted;
            emit OrderJoined(id, msg.sender, joined);
        }
        p.openOrders += uint32(ids.length);
    }

    /// Commit to results: each entry's hash is keccak256(abi.encode(the
    /// sender, id, resultRoot, tasksDone)). Only once every provider joined
    /// and before the deadline. The hash names its provider, so another
    /// provider cannot reveal it as its own.
    function commitResults(Commitment[] calldata batch) external {
        for (uint256 i = 0; i < batch.length; i++) {
            uint256 id = batch[i].id;
            Order storage o = orders[id];
            if (o.status != Status.Accepted) revert WrongStatus(id, o.status);
            if (o.deadline <= block.timestamp) revert DeadlinePassed(id, o.deadline);
            Replication storage rep = replication[id];
            Part storage part = _part(id, rep.replicas);
            if (part.sealOrRoot != bytes32(0)) revert WrongStep(id, part.revealed ? 3 : 2);
            if (batch[i].hash == bytes32(0)) revert BadOrder("zero commitment");
            part.sealOrRoot = batch[i].hash;
            rep.committed++;
            emit ResultCommitted(id, msg.sender);
        }
    }

    /// Reveal the roots committed to: once every provider committed, or
    /// after the deadline. The last reveal finalizes the order.
    function revealResults(Settlement[] calldata batch) external {
        for (uint256 i = 0; i < batch.length; i++) {
            Settlement calldata s = batch[i];
            Order storage o = orders[s.id];
            if (o.status != Status.Accepted) revert WrongStatus(s.id, o.status);
            Replication storage rep = replication[s.id];
            if (rep.committed < rep.replicas && block.timestamp <= o.deadline) {
                revert RevealTooEarly(s.id, rep.committed, rep.replicas);
            }
            Part storage part = _part(s.id, rep.replicas);
            if (part.revealed) revert WrongStep(s.id, 3);
            if (part.sealOrRoot == bytes32(0)) revert WrongStep(s.id, 1);
            if (keccak256(abi.encode(msg.sender, s.id, s.resultRoot, s.tasksDone)) != part.sealOrRoot) {
                revert RevealMismatch(s.id);
            }
            if (s.tasksDone > o.tasks) revert TooManyTasksDone(s.id, s.tasksDone, o.tasks);
            part.revealed = true;
            part.tasksDone = s.tasksDone;
            part.sealOrRoot = s.resultRoot;
            uint8 revealed = rep.revealed + 1;
            rep.revealed = revealed;
            emit ResultRevealed(s.id, msg.sender, s.resultRoot, s.tasksDone);
            if (revealed == rep.replicas) _finalize(s.id, o, rep);
        }
    }

    /// Finalize a replicated order with the reveals made, once its reveal
    /// window after the deadline has passed: providers that did not commit
    /// or reveal count as disagreeing. Anyone may call it.
    function finalize(uint256 id) external {
        Order storage o = orders[id];
        Replication storage rep = replication[id];
        if (rep.replicas == 0) revert NotReplicated(id);
        if (o.status != Status.Accepted) revert WrongStatus(id, o.status);
        if (block.timestamp <= uint256(o.deadline) + REVEAL_WINDOW) {
            revert FinalizeTooEarly(id, uint256(o.deadline) + REVEAL_WINDOW);
        }
        _finalize(id, o, rep);
    }

    /// The sender's part in order id.
    function _part(uint256 id, uint8 replicas) internal view returns (Part storage) {
        for (uint256 j = 0; j < replicas; j++) {
            Part storage part = parts[id][j];
            if (part.provider == msg.sender) return part;
        }
        revert NotJoined(id, msg.sender);
    }

    /// Settle or dispute a replicated order by its reveals.
    function _finalize(uint256 id, Order storage o, Replication storage rep) internal {
        uint256 n = rep.replicas;
        // The reveal most others agree with.
        uint256 best;
        uint256 bestCount;
        for (uint256 i = 0; i < n; i++) {
            Part storage a = parts[id][i];
            if (!a.revealed) continue;
            uint256 count;
            for (uint256 j = 0; j < n; j++) {
                Part storage b = parts[id][j];
                if (b.revealed && b.sealOrRoot == a.sealOrRoot && b.tasksDone == a.tasksDone) count++;
            }
            if (count > bestCount) (best, bestCount) = (i, count);
        }
        uint256 price = o.pricePerTask;
        uint256 escrow = uint256(o.tasks) * price * n;
        address requester = o.requester;
        // Its providers stay in the order (and cannot exit) until now, so
        // that a stake to be slashed is still there.
        for (uint256 i = 0; i < n; i++) {
            providers[parts[id][i].provider].openOrders -= 1;
        }
        if (bestCount < rep.quorum) {
            // No quorum: nobody can say who was right, but a provider that
            // never revealed is at fault all the same.
            for (uint256 i = 0; i < n; i++) {
                if (!parts[id][i].revealed) _slash(id, parts[id][i].provider, uint256(o.tasks) * price);
            }
            o.status = Status.Disputed;
            balanceOf[requester] += escrow;
            emit OrderDisputed(id, escrow);
            return;
        }
        Part storage win = parts[id][best];
        bytes32 root = win.sealOrRoot;
        uint24 done = win.tasksDone;
        uint256 pay = price * done;
        for (uint256 i = 0; i < n; i++) {
            Part storage part = parts[id][i];
            if (part.revealed && part.sealOrRoot == root && part.tasksDone == done) {
                balanceOf[part.provider] += pay;
            } else {
                // Disagreed, or never revealed: it loses what it would have
                // earned for the whole order.
                _slash(id, part.provider, uint256(o.tasks) * price);
            }
        }
        o.status = Status.Settled;
        o.resultRoot = root;
        o.tasksDone = done;
        uint256 refund = escrow - pay * bestCount;
        balanceOf[requester] += refund;
        emit OrderSettled(id, address(0), root, done, pay * bestCount, refund);
    }

    /// Burn up to amount of provider's stake for order id.
    function _slash(uint256 id, address provider, uint256 amount) internal {
        Provider storage p = providers[provider];
        if (amount > p.stake) amount = p.stake;
        p.stake -= uint128(amount);
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
