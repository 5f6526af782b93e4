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
/// docs/market.md describes the life cycle and the Merkle tree.
contract HearthMarket {
    enum Status {
        None,
        Open,
        Accepted,
        Settled,
        Reclaimed
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

    /// One order's settlement in a batch.
    struct Settlement {
        uint256 id;
        bytes32 resultRoot;
        uint24 tasksDone;
    }

    uint256 public immutable minStake;
    uint256 public orderCount;
    mapping(address => Provider) public providers;
    mapping(address => uint256) public balanceOf; // free escrow and earnings
    mapping(uint256 => Order) internal orders;

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
        if (tasks == 0) revert BadOrder("no tasks");
        if (appDigest == bytes32(0)) revert BadOrder("no app digest");
        if (deadline <= block.timestamp) revert DeadlinePassed(0, deadline);
        uint256 cost = uint256(tasks) * pricePerTask;
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
    function reclaim(uint256 id) external {
        Order storage o = orders[id];
        if (o.requester != msg.sender) revert NotYourOrder(id);
        if (o.status != Status.Open && o.status != Status.Accepted) revert WrongStatus(id, o.status);
        if (block.timestamp < o.deadline) revert DeadlineNotPassed(id, o.deadline);
        if (o.status == Status.Accepted) providers[o.provider].openOrders -= 1;
        o.status = Status.Reclaimed;
        uint256 refund = uint256(o.tasks) * o.pricePerTask;
        balanceOf[msg.sender] += refund;
        emit OrderReclaimed(id, msg.sender, refund);
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
