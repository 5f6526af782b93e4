// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// HearthMarketCommitment is an auto generated low-level Go binding around an user-defined struct.
type HearthMarketCommitment struct {
	Id   *big.Int
	Hash [32]byte
}

// HearthMarketOrder is an auto generated low-level Go binding around an user-defined struct.
type HearthMarketOrder struct {
	Requester    common.Address
	PricePerTask *big.Int
	Provider     common.Address
	Deadline     *big.Int
	Tasks        *big.Int
	TasksDone    *big.Int
	Status       uint8
	AppDigest    [32]byte
	SpecHash     [32]byte
	ResultRoot   [32]byte
}

// HearthMarketPoolInfo is an auto generated low-level Go binding around an user-defined struct.
type HearthMarketPoolInfo struct {
	Devices    uint32
	Cores      uint32
	MemoryMiB  uint64
	WattBudget uint32
	Runtimes   string
	Platforms  string
}

// HearthMarketSettlement is an auto generated low-level Go binding around an user-defined struct.
type HearthMarketSettlement struct {
	Id         *big.Int
	ResultRoot [32]byte
	TasksDone  *big.Int
}

// HearthMarketMetaData contains all meta data concerning the HearthMarket contract.
var HearthMarketMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"minStake_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"AlreadyJoined\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"BadOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlineNotPassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlinePassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"at\",\"type\":\"uint256\"}],\"name\":\"FinalizeTooEarly\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientEscrow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"NotJoined\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"NotReplicated\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"NotYourOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"openOrders\",\"type\":\"uint32\"}],\"name\":\"ProviderBusy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"RevealMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"committed\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"}],\"name\":\"RevealTooEarly\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"min\",\"type\":\"uint256\"}],\"name\":\"StakeTooLow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"tasksDone\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"tasks\",\"type\":\"uint256\"}],\"name\":\"TooManyTasksDone\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"enumHearthMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"WrongStatus\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"step\",\"type\":\"uint8\"}],\"name\":\"WrongStep\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"OrderAccepted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderDisputed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"joined\",\"type\":\"uint8\"}],\"name\":\"OrderJoined\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"indexed\":false,\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"indexed\":false,\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"indexed\":false,\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"}],\"name\":\"OrderPosted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderReclaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"quorum\",\"type\":\"uint8\"}],\"name\":\"OrderReplicated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"ProviderExited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"ProviderRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"ProviderSlashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"ProviderUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ResultCommitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"name\":\"ResultRevealed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"REVEAL_WINDOW\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"acceptOrders\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"burned\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"}],\"internalType\":\"structHearthMarket.Commitment[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"commitResults\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"finalize\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getOrder\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"},{\"internalType\":\"enumHearthMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structHearthMarket.Order\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"joinOrders\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minStake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"orderCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"}],\"name\":\"postOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"quorum\",\"type\":\"uint8\"}],\"name\":\"postReplicatedOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"providers\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"stake\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"since\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"openOrders\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"reclaim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"replication\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"quorum\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"joined\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"committed\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"revealed\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"internalType\":\"structHearthMarket.Settlement[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"revealResults\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"internalType\":\"structHearthMarket.Settlement[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"}],\"name\":\"specHashOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"updateProvider\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "HearthMarket",
	Bin: "0x60a034605e57601f61305e38819003918201601f19168301916001600160401b03831184841017606257808492602094604052833981010312605e5751608052604051612fe79081610077823960805181818161083d0152611c5f0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe60806040526004361015610011575f80fd5b5f3560e01c806305261aea146125245780630787bc27146123ef57806317e931cf146123d35780631fdb1f261461220d5780632453ffa8146121f157806327a350ca146120565780632dabbeed14611da55780632e1a7d4d14611c82578063375b3c0a14611c4857806353d6b5e614611ab257806370a0823114611a7a57806373f4256114611a5d5780639cf52e9d146117c35780639d563dbf146113de578063b8364f7614610d72578063bf29340a14610aa1578063c5ba23c514610818578063cba9621614610579578063d09ef241146103d8578063d0e30db014610347578063e93b370d146102ee578063e9fad8ee146101cf5763fe5347d014610116575f80fd5b346101cb5760803660031901126101cb5760043567ffffffffffffffff81116101cb576101479036906004016126a1565b9060243560028110156101cb5760443567ffffffffffffffff81116101cb57610174903690600401612670565b9360643567ffffffffffffffff81116101cb576020956101c09361019f6101b2933690600401612670565b9290916040519788968b88019a8b612a39565b03601f19810183528261264e565b519020604051908152f35b5f80fd5b346101cb575f3660031901126101cb57335f52600160205260405f2080549060ff8260e01c16156102c25763ffffffff8260c01c168061029757507fffffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffff6001600160801b038316921681556fffffffffffffffffffffffffffffffff198154169055335f52600260205260405f20610267828254612788565b90556040519081527f86628a11e30e454ef156adae4d70764ab552ed8e3ed2fbd07ea14d6cca76781260203392a2005b7f3c9c228e000000000000000000000000000000000000000000000000000000005f5260045260245ffd5b7f1bd2224f000000000000000000000000000000000000000000000000000000005f523360045260245ffd5b346101cb5760203660031901126101cb576004355f52600460205260a060405f205460ff604051918181168352818160081c166020840152818160101c166040840152818160181c16606084015260201c166080820152f35b5f3660031901126101cb5734156103b057335f52600260205261036e3460405f2054612788565b335f5260026020528060405f20556040519034825260208201527f73a19dd210f1a7f902193214c0ee91dd35ee5b4d920cba8d519eca65a7b488ca60403392a2005b7f1f2a2005000000000000000000000000000000000000000000000000000000005f5260045ffd5b346101cb5760203660031901126101cb575f6101206040516103f981612631565b8281528260208201528260408201528260608201528260808201528260a08201528260c08201528260e08201528261010082015201526004355f52600360205260405f2060405161044981612631565b81546001600160a01b0381168252602082019060a01c815260018301549260408301936001600160a01b0381168552606084019064ffffffffff8160a01c1682526080850162ffffff8260c81c16815260a086019162ffffff8160e01c16835260f81c9260c0870193600681101561056557845260028501549760e0880198895260038601549561010089019687526004015496610120890197885260405198516001600160a01b03168952516bffffffffffffffffffffffff166020890152516001600160a01b031660408801525164ffffffffff1660608701525162ffffff1660808601525162ffffff1660a085015251936006851015610565576101409460c08501525160e08401525161010083015251610120820152f35b634e487b7160e01b5f52602160045260245ffd5b346101cb5761058736612726565b335f52600160205260405f20905f925f5b82811061061057505063ffffffff80835460c01c169116900363ffffffff81116105fc57815463ffffffff60c01b191660c09190911b63ffffffff60c01b16179055806105e157005b335f5260026020526105f860405f20918254612788565b9055005b634e487b7160e01b5f52601160045260245ffd5b61061b818484612970565b94853590815f52600360205260405f20966001880180548060f81c600681101561056557600281036107fc5750336001600160a01b038216036107e95762ffffff9060c81c169060408301928262ffffff61067586612980565b16116107a7579361077561074a600198979561073d7fc0e79444b3464b92aa787dada040d824a942f0bd8aaccd6ee6a5903bb9ad244d968f6107319781602060049d6106fc610737955460a01c94600360f81b6001600160f81b038254161781556106df8a612980565b62ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b01359c8d91015561071a62ffffff61071387612980565b168261284d565b98899362ffffff61072a88612980565b1690612860565b9061284d565b95612788565b9d8461077e575b50612980565b916040519384933398859094939262ffffff6060936080840197845216602083015260408201520152565b0390a301610598565b6001600160a01b039054165f52600260205260405f2061079f858254612788565b90558e610744565b8262ffffff876107b687612980565b907f8ec62d13000000000000000000000000000000000000000000000000000000005f526004521660245260445260645ffd5b84630324e5e760e01b5f5260045260245ffd5b610813908663a5d15e1f60e01b5f5260045261277a565b60445ffd5b610821366126cf565b9091335f52600160205260405f2060ff815460e01c16610a75577f0000000000000000000000000000000000000000000000000000000000000000803410610a5f575080547fffffff00ffffffff00000000000000000000000000000000000000000000000016346001600160801b0316174260801b77ffffffffffffffff0000000000000000000000000000000016177c01000000000000000000000000000000000000000000000000000000001781556001019267ffffffffffffffff8111610a4b576108f084546125f9565b601f8111610a06575b505f93601f821160011461098457817f0ae1052dd868af520306e22d8ca5530741ba781eb44d3dcc2c88d5b728282d4c94955f91610979575b508260011b905f198460031b1c19161790555b61097461096560405193849334855260606020860152606085019161286d565b828103604084015233956128d0565b0390a2005b905083013586610932565b601f19821694815f5260205f20905f5b8781106109ee5750837f0ae1052dd868af520306e22d8ca5530741ba781eb44d3dcc2c88d5b728282d4c9697106109d5575b5050600182811b019055610945565b8401355f19600385901b60f8161c1916905585806109c6565b90916020600181928589013581550193019101610994565b845f5260205f20601f830160051c81019160208410610a41575b601f0160051c01905b818110610a3657506108f9565b5f8155600101610a29565b9091508190610a20565b634e487b7160e01b5f52604160045260245ffd5b63829f116360e01b5f523460045260245260445ffd5b7f45ed80e9000000000000000000000000000000000000000000000000000000005f523360045260245ffd5b346101cb57610aaf36612726565b5f5b818110610aba57005b610ac5818385612970565b908135805f52600360205260405f20926001840154938460f81c60068110156105655760028103610d5b5750825f52600460205260405f2091825460ff808260181c1691169081811080610d47575b610d155750610b239085612eba565b80549060ff8260b81c16610cfd5760018101918254988915610ce55760406020860135950199610b528b612980565b60405162ffffff60208201923384528c604084015289606084015216608082015260808152610b8260a08261264e565b51902003610cb95762ffffff9081610b998c612980565b9160c81c169182911611610cab575090770100000000000000000000000000000000000000000000008493927fffffffffffffffff00000000ffffffffffffffffffffffffffffffffffffffff76ffffff0000000000000000000000000000000000000000610c078d612980565b60a01b1691161717905555600160ff845460201c16019060ff82116105fc57835464ff000000001916602083901b64ff000000001617845560019662ffffff90610c5090612980565b604051928352166020820152847fa78eaa8a9b4d330430ade0e54cc6a8cff4c49e20eaf80f8fca0df6582e31d53260403393a360ff80845416911614610c9a575b50505001610ab1565b610ca392612a8e565b848080610c91565b62ffffff886107b68c612980565b877fb658eb5b000000000000000000000000000000000000000000000000000000005f5260045260245ffd5b876319dc5ff760e21b5f52600452600160245260445ffd5b856319dc5ff760e21b5f52600452600360245260445ffd5b857f13ce15cc000000000000000000000000000000000000000000000000000000005f5260045260245260445260645ffd5b5064ffffffffff8860a01c16421115610b14565b610813908463a5d15e1f60e01b5f5260045261277a565b346101cb576101403660031901126101cb5760243567ffffffffffffffff81116101cb57610da49036906004016126a1565b90600260443510156101cb5760643567ffffffffffffffff81116101cb57610dd0903690600401612670565b9260843567ffffffffffffffff81116101cb57610df1903690600401612670565b60a4359162ffffff831683036101cb5760c435906bffffffffffffffffffffffff821682036101cb5760e4359264ffffffffff841684036101cb57610104359660ff8816998a89036101cb57610124359860ff8a16809a036101cb5760028c1080156113d4575b61138f5760011c607f168911801590611386575b61131b5762ffffff8716156112d65760043515611291574264ffffffffff8716111561127357610eb88b610eb36bffffffffffffffffffffffff881662ffffff8b1661284d565b61284d565b335f52600260205260405f20548082116112455790610ed691612860565b335f52600260205260405f2055610eed5f54612a80565b998a5f5588604051610f10816101b2888a888a6020860198604435908b8b612a39565b51902060405190610f2082612631565b3382526bffffffffffffffffffffffff881660208301525f604083015264ffffffffff8916606083015262ffffff8a1660808301525f60a0830152600160c083015260043560e08301526101008201525f6101208201528b5f52600360205260405f20906001600160a01b0380825116166001600160a01b031983541617825560208101516001600160a01b036001600160a01b031984549260a01b1691161782556001600160a01b0380604083015116166001600160a01b0319600184015416176001830155606081015160018301547fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff64ffffffffff60a01b62ffffff60c81b608086015160c81b169360a01b1691161717600183015561106862ffffff60a083015116600184019062ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b60c081015160068110156105655761108390600184016127da565b60e08101516002830155610100810151600383015561012001519060040155604051986004358a5260208a0161010090526101008a01906110c39261286d565b906110d360408a01604435612990565b88820360608a01526110e49261299d565b9086820360808801526110f6926129da565b9262ffffff1660a08501526bffffffffffffffffffffffff1660c084015264ffffffffff1660e083015283823392037fe469f0c46ce3a86261cdb557c9215b97990f5256f7f2763b2faf045f854e8799905f94a460405160a081019080821067ffffffffffffffff831117610a4b5760209484936112336040937fdb1983944aa516c0ce0a88f91fc0e6aaab549c9ce4add7b01e49358498f25cf795855283815260ff87611217828c85018781526111fd828b88015f815260608901935f855260808a01975f89525f52602060049052828e5f209a511661ff008b54925160081b169161ffff1916171789555116879062ff000082549160101b169062ff00001916179055565b51855463ff0000001916911660181b63ff00000016178455565b51825464ff000000001916911660201b64ff0000000016179055565b825191825286820152a2604051908152f35b7fc0710ec8000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b64ffffffffff8663041f95d160e51b5f525f6004521660245260445ffd5b6064604051639656661b60e01b815260206004820152600d60248201527f6e6f2061707020646967657374000000000000000000000000000000000000006044820152fd5b6064604051639656661b60e01b815260206004820152600860248201527f6e6f207461736b730000000000000000000000000000000000000000000000006044820152fd5b6084604051639656661b60e01b815260206004820152602a60248201527f71756f72756d206d757374206265206d6f7265207468616e2068616c6620746860448201527f65207265706c69636173000000000000000000000000000000000000000000006064820152fd5b508a8911610e6c565b6064604051639656661b60e01b815260206004820152601860248201527f7265706c69636173206d757374206265203220746f20313600000000000000006044820152fd5b5060108c11610e58565b346101cb576101203660031901126101cb576113f86125e3565b60443567ffffffffffffffff81116101cb576114189036906004016126a1565b9091600260643510156101cb5760843567ffffffffffffffff81116101cb57611445903690600401612670565b93909160a43567ffffffffffffffff81116101cb57611468903690600401612670565b60c435949162ffffff861686036101cb5760e435916bffffffffffffffffffffffff831683036101cb57610104359364ffffffffff851685036101cb5762ffffff8816156112d65760243515611291574264ffffffffff861611156117a5576114e46bffffffffffffffffffffffff851662ffffff8a1661284d565b801581800460011417156105fc57335f52600260205260405f2054808211611245579061151091612860565b335f52600260205260405f20556115275f54612a80565b998a5f55898261154c8a6101b28789876040519687956020870199606435918b612a39565b519020976040519861155d8a612631565b338a526bffffffffffffffffffffffff871660208b01526001600160a01b03891660408b015264ffffffffff881660608b015262ffffff8b1660808b01525f60a08b0152600160c08b015260243560e08b01526101008a01525f6101208a01528b5f52600360205260405f206001600160a01b03808b5116166001600160a01b031982541617815560208a01516001600160a01b036001600160a01b031983549260a01b1691161781556001600160a01b038060408c015116166001600160a01b031960018301541617600182015560608a01518a7fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff64ffffffffff60a01b62ffffff60c81b6080600187015494015160c81b169360a01b169116171760018201556116ae62ffffff60a08c015116600183019062ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b60c08a01519960068b1015610565578d9a6116cc90600184016127da565b60e081015160028301556101008101516003830155610120015190600401556040519a6024358c5260208c0161010090526101008c019061170c9261286d565b9061171c60408c01606435612990565b8a820360608c015261172d9261299d565b9088820360808a015261173f926129da565b9462ffffff1660a08701526bffffffffffffffffffffffff1660c086015264ffffffffff1660e08501526001600160a01b031692803393037fe469f0c46ce3a86261cdb557c9215b97990f5256f7f2763b2faf045f854e879991a4604051908152602090f35b64ffffffffff8563041f95d160e51b5f525f6004521660245260445ffd5b346101cb5760203660031901126101cb5760043567ffffffffffffffff81116101cb576117f4903690600401612670565b90335f52600160205260405f209060ff825460e01c16156102c25782905f9033905b83831061185c5761185a8561183b63ffffffff871663ffffffff835460c01c1661281b565b63ffffffff60c01b1963ffffffff60c01b83549260c01b169116179055565b005b61186a8385839795976127ca565b3594855f52600360205260405f2095805f52600460205260405f2090815460ff811615611a4a5760018901988954908160f81c60068110156105655760018103611a33575064ffffffffff8260a01c1642811115611a1d57509062ffffff6118da925460a01c9160c81c1661284d565b6001600160801b03885416818110611a0857505060101c60ff16975f5b8981106119aa575060ff8061193760019798999a9b855f52600660205260405f20815f5260205260405f208b6001600160a01b03198254161790556127b9565b855462ff00001916601082901b62ff0000161786559454169316928314611991575b506040519182527fd826d7d6f5bcbf2fc81ec5f840218f59f00d7592a9eaa1ce649c6eccdd67f83960203393a3019190939293611816565b600160f91b6001600160f81b0382541617905588611959565b825f52600660205260405f20815f52602052336001600160a01b0360405f205416146119d8576001016118f7565b827f682bdbac000000000000000000000000000000000000000000000000000000005f526004523360245260445ffd5b63829f116360e01b5f5260045260245260445ffd5b8463041f95d160e51b5f5260045260245260445ffd5b610813908563a5d15e1f60e01b5f5260045261277a565b5063de507b1b60e01b5f5260045260245ffd5b346101cb575f3660031901126101cb576020600554604051908152f35b346101cb5760203660031901126101cb576001600160a01b03611a9b6125e3565b165f526002602052602060405f2054604051908152f35b346101cb57611ac0366126cf565b9091335f52600160205260405f2060ff815460e01c16156102c2576001019267ffffffffffffffff8111610a4b57611af884546125f9565b601f8111611c03575b505f93601f8211600114611b8157817fb61cbf7f51d2d2f6df39246fbd7af7e3232bf916a2f9ba15948fc2089865722594955f91611b76575b508260011b905f198460031b1c19161790555b610974611b6760405193849360408552604085019161286d565b828103602084015233956128d0565b905083013586611b3a565b601f19821694815f5260205f20905f5b878110611beb5750837fb61cbf7f51d2d2f6df39246fbd7af7e3232bf916a2f9ba15948fc20898657225969710611bd2575b5050600182811b019055611b4d565b8401355f19600385901b60f8161c191690558580611bc3565b90916020600181928589013581550193019101611b91565b845f5260205f20601f830160051c81019160208410611c3e575b601f0160051c01905b818110611c335750611b01565b5f8155600101611c26565b9091508190611c1d565b346101cb575f3660031901126101cb5760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346101cb5760203660031901126101cb5760043580156103b057335f52600260205260405f2054808211611d77575f8083611cd68185611cc485988698612860565b33865260026020526040862055612860565b6040519082825260208201527f92ccf450a286a957af52509bc1c9939d1a6a481783e142e41e2499f0bb66ebc660403392a2335af13d15611d72573d67ffffffffffffffff8111610a4b5760405190611d39601f8201601f19166020018361264e565b81525f60203d92013e5b15611d4a57005b7f90b8ec18000000000000000000000000000000000000000000000000000000005f5260045ffd5b611d43565b7fcf479181000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b346101cb5760203660031901126101cb57600435805f52600360205260405f2090805f52600460205260405f20906001600160a01b03835416338114159081612037575b5061202557600183019283548060f81c906006821015918261056557600181141580612017575b611a335764ffffffffff8260a01c16804210611fe8575085546001939060ff1615611f6f5750505050835460f81c60068110156105655760028114611f58575060ff835416935f5b60ff855460101c16811015611eb457600160ff91855f52600660205260405f20815f526020526001600160a01b0360405f2054165f5281602052611eac60405f2061183b63ffffffff825460c01c16612835565b019050611e58565b507feca1263435904f38d1b4ea6e9e2a4b6e20b36eea473d0c434e9e06b43869bda29293506020916001600160a01b03611f3362ffffff82945b7f04000000000000000000000000000000000000000000000000000000000000006001600160f81b038254161781555460c81c1697610eb38454998a60a01c9061284d565b96165f526002835260405f20611f4a878254612788565b9055541693604051908152a3005b610813908363a5d15e1f60e01b5f5260045261277a565b909296949550929092610565576001600160a01b03611f3362ffffff7feca1263435904f38d1b4ea6e9e2a4b6e20b36eea473d0c434e9e06b43869bda2966020966002859714611fc0575b50611eee565b84165f5260018752611fe260405f2061183b63ffffffff825460c01c16612835565b8a611fba565b857f408b57fb000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b505f92506002811415611e10565b630324e5e760e01b5f5260045260245ffd5b835460ff16159150811561204d575b5084611de9565b90501584612046565b346101cb5760203660031901126101cb5760043567ffffffffffffffff81116101cb57612087903690600401612670565b90335f52600160205260405f209060ff825460e01c16156102c25733905f5b8481106120cb5761185a8461183b63ffffffff881663ffffffff835460c01c1661281b565b6120d68186846127ca565b35805f526003602052600160405f200180548060f81c60068110156105655760018103610d5b57506001600160a01b03811680151590816121e6575b506121d35760a01c64ffffffffff16428111156121bd5750815f52600460205260ff60405f2054166121a65780546001600160f81b0386167effffffffffffffffffffff000000000000000000000000000000000000000090911617600160f91b1790556001919033907fa3a9d59445e437d97cac53692b666afef6c152b0642edd206bde8472f387e59a5f80a3016120a6565b506319dc5ff760e21b5f526004525f60245260445ffd5b8263041f95d160e51b5f5260045260245260445ffd5b82630324e5e760e01b5f5260045260245ffd5b905033141589612112565b346101cb575f3660031901126101cb5760205f54604051908152f35b346101cb5760203660031901126101cb5760043567ffffffffffffffff81116101cb57366023820112156101cb57806004013567ffffffffffffffff81116101cb576024820191602436918360061b0101116101cb575f5b81811061226e57005b612279818385612795565b3590815f526003602052600160405f2001548060f81c60068110156105655760028103610d5b575060a01c64ffffffffff16428111156121bd5750815f52600460205260405f20916122cf60ff84541682612eba565b600181019081546123a1575060206122e8848789612795565b01351561235c5760019361233091602061230386898b612795565b0135905561231760ff825460181c166127b9565b63ff00000082549160181b169063ff0000001916179055565b33907f9141a90fe2429c6762baa5480510914b9a9063e637d117561635a4611c3df15a5f80a301612265565b6064604051639656661b60e01b815260206004820152600f60248201527f7a65726f20636f6d6d69746d656e7400000000000000000000000000000000006044820152fd5b8260ff80925460b81c165f146123cb576003905b6319dc5ff760e21b5f526004521660245260445ffd5b6002906123b5565b346101cb575f3660031901126101cb576020604051610e108152f35b346101cb5760203660031901126101cb576001600160a01b036124106125e3565b165f52600160205260405f206001815491016040515f825492612432846125f9565b9081845260208401946001811690815f1461250757506001146124ca575b60ff60c08787876124638189038261264e565b60405194836001600160801b03879516855267ffffffffffffffff8160801c16602086015263ffffffff81871c16604086015260e01c161515606084015260a060808401525180918160a08501528484015e5f828201840152601f01601f19168101030190f35b5f908152602081209092505b8183106124ed575050810160200181612463612450565b6001816020929493945483858801015201910191906124d6565b60ff191686525050151560051b8201602001905081612463612450565b346101cb5760203660031901126101cb57600435805f52600360205260405f20815f52600460205260405f209060ff825416156125d05760018101548060f81c60068110156105655760028103611a33575064ffffffffff9060a01c1692610e1084018094116105fc57834211156125a05761185a9350612a8e565b83907fafc7dc70000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b8263de507b1b60e01b5f5260045260245ffd5b600435906001600160a01b03821682036101cb57565b90600182811c92168015612627575b602083101461261357565b634e487b7160e01b5f52602260045260245ffd5b91607f1691612608565b610140810190811067ffffffffffffffff821117610a4b57604052565b90601f8019910116810190811067ffffffffffffffff821117610a4b57604052565b9181601f840112156101cb5782359167ffffffffffffffff83116101cb576020808501948460051b0101116101cb57565b9181601f840112156101cb5782359167ffffffffffffffff83116101cb57602083818601950101116101cb57565b60406003198201126101cb5760043567ffffffffffffffff81116101cb57816126fa916004016126a1565b929092916024359067ffffffffffffffff82116101cb5760c09082900360031901126101cb5760040190565b9060206003198301126101cb5760043567ffffffffffffffff81116101cb57826023820112156101cb5780600401359267ffffffffffffffff84116101cb57602460608502830101116101cb576024019190565b600681101561056557602452565b919082018092116105fc57565b91908110156127a55760061b0190565b634e487b7160e01b5f52603260045260245ffd5b60ff1660ff81146105fc5760010190565b91908110156127a55760051b0190565b906006811015610565576001600160f81b037fff0000000000000000000000000000000000000000000000000000000000000083549260f81b169116179055565b9063ffffffff8091169116019063ffffffff82116105fc57565b63ffffffff5f199116019063ffffffff82116105fc57565b818102929181159184041417156105fc57565b919082039182116105fc57565b908060209392818452848401375f828201840152601f01601f1916010190565b359063ffffffff821682036101cb57565b9035601e19823603018112156101cb57016020813591019167ffffffffffffffff82116101cb5781360383136101cb57565b63ffffffff6128de8261288d565b16825263ffffffff6128f26020830161288d565b16602083015260408101359167ffffffffffffffff83168093036101cb5761296d92604082015263ffffffff61292a6060840161288d565b16606082015261295f612954612943608085018561289e565b60c0608086015260c085019161286d565b9260a081019061289e565b9160a081850391015261286d565b90565b91908110156127a5576060020190565b3562ffffff811681036101cb5790565b9060028210156105655752565b90918281527f07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff83116101cb5760209260051b809284830137010190565b90602083828152019260208260051b82010193835f925b848410612a015750505050505090565b909192939495602080612a29600193601f19868203018852612a238b8861289e565b9061286d565b98019401940192949391906129f1565b9593612a65612a5a61296d999793612a72969560808b5260808b019161286d565b936020890190612990565b868303604088015261299d565b9260608185039101526129da565b5f1981146105fc5760010190565b919060ff825416915f5f905f5b858110612de4575083548060a01c9160018601906001600160a01b03612ace89610eb38762ffffff875460c81c1661284d565b9316955f5b898110612d9b57505460081c60ff168510612ca557885f52600660205260405f20905f5260205260405f209562ffffff6001880154975460a01c1697612b19898661284d565b945f5b828110612bf25750505093612bed93612ba7899794612b975f9c9b612bc5968c8f7fc0e79444b3464b92aa787dada040d824a942f0bd8aaccd6ee6a5903bb9ad244d9e9c60049150600360f81b6001600160f81b0385541617845501559062ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b612ba1848461284d565b90612860565b938a52600260205260408a20612bbe858254612788565b905561284d565b604051948594859094939262ffffff6060936080840197845216602083015260408201520152565b0390a3565b6001908c5f52600660205260405f20815f526020528c8c60405f20918d83549260ff8460b81c169182612c98575b5081612c86575b5015612c595750506001600160a01b039054165f52600260205260405f20612c50898254612788565b90555b01612b1c565b612c8192506001600160a01b03612c798762ffffff8c5460c81c1661284d565b921690612f2e565b612c53565b905062ffffff8360a01c16148f612c27565b858801541491508f612c20565b509394509491505f5b828110612d2d57505050916020917f054d14d6b7cbf46ec1175b3f5544634a57e42fb2d5a022c774bcabc26c128bb0937f05000000000000000000000000000000000000000000000000000000000000006001600160f81b038254161790555f526002825260405f20612d22828254612788565b9055604051908152a2565b600190875f52600660205260405f20815f5260205260ff60405f205460b81c1615612d59575b01612cae565b875f52600660205260405f20815f52602052612d966001600160a01b0360405f205416612d8f8562ffffff895460c81c1661284d565b908a612f2e565b612d53565b6001908b5f52600660205260405f20815f526020526001600160a01b0360405f2054165f5281602052612dde60405f2061183b63ffffffff825460c01c16612835565b01612ad3565b865f52600660205260405f20815f5260205260405f20805460ff8160b81c1615612eb0575f915f5b898110612e3557505050838111612e29575b506001905b01612a9b565b92509050806001612e1e565b8a5f52600660205260405f20815f5260205260405f20805460ff8160b81c169182612e9c575b5081612e84575b50612e70575b600101612e0c565b92612e7c600191612a80565b939050612e68565b905062ffffff808560a01c169160a01c16145f612e62565b60019192500154600184015414905f612e5b565b5050600190612e23565b91905f5b60ff82168110612ef857837fc3e8c85b000000000000000000000000000000000000000000000000000000005f526004523360245260445ffd5b835f52600660205260405f20815f5260205260405f20336001600160a01b0382541614612f285750600101612ebe565b93505050565b906001600160a01b031691825f52600160205260405f20906001600160801b03825416808211612fd2575b6001600160801b0382169003906001600160801b0382116105fc577f7cd5c31f23d0ddc57261e92db55f5fc8f6c5ace72bf7d8c8ba9f602a8da96cd3926001600160801b03602093166fffffffffffffffffffffffffffffffff19825416179055612fc681600554612788565b600555604051908152a3565b905080612f5956fea164736f6c634300081e000a",
}

// HearthMarket is an auto generated Go binding around an Ethereum contract.
type HearthMarket struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *HearthMarket) GetABI() abi.ABI {
	return c.abi
}

// NewHearthMarket creates a new instance of HearthMarket.
func NewHearthMarket() *HearthMarket {
	parsed, err := HearthMarketMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &HearthMarket{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *HearthMarket) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint256 minStake_) returns()
func (hearthMarket *HearthMarket) PackConstructor(minStake_ *big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("", minStake_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackREVEALWINDOW is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x17e931cf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REVEAL_WINDOW() view returns(uint256)
func (hearthMarket *HearthMarket) PackREVEALWINDOW() []byte {
	enc, err := hearthMarket.abi.Pack("REVEAL_WINDOW")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREVEALWINDOW is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x17e931cf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REVEAL_WINDOW() view returns(uint256)
func (hearthMarket *HearthMarket) TryPackREVEALWINDOW() ([]byte, error) {
	return hearthMarket.abi.Pack("REVEAL_WINDOW")
}

// UnpackREVEALWINDOW is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x17e931cf.
//
// Solidity: function REVEAL_WINDOW() view returns(uint256)
func (hearthMarket *HearthMarket) UnpackREVEALWINDOW(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("REVEAL_WINDOW", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackAcceptOrders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27a350ca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function acceptOrders(uint256[] ids) returns()
func (hearthMarket *HearthMarket) PackAcceptOrders(ids []*big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("acceptOrders", ids)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAcceptOrders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27a350ca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function acceptOrders(uint256[] ids) returns()
func (hearthMarket *HearthMarket) TryPackAcceptOrders(ids []*big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("acceptOrders", ids)
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (hearthMarket *HearthMarket) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := hearthMarket.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (hearthMarket *HearthMarket) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return hearthMarket.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (hearthMarket *HearthMarket) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBurned is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73f42561.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function burned() view returns(uint256)
func (hearthMarket *HearthMarket) PackBurned() []byte {
	enc, err := hearthMarket.abi.Pack("burned")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBurned is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73f42561.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function burned() view returns(uint256)
func (hearthMarket *HearthMarket) TryPackBurned() ([]byte, error) {
	return hearthMarket.abi.Pack("burned")
}

// UnpackBurned is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x73f42561.
//
// Solidity: function burned() view returns(uint256)
func (hearthMarket *HearthMarket) UnpackBurned(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("burned", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCommitResults is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1fdb1f26.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commitResults((uint256,bytes32)[] batch) returns()
func (hearthMarket *HearthMarket) PackCommitResults(batch []HearthMarketCommitment) []byte {
	enc, err := hearthMarket.abi.Pack("commitResults", batch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommitResults is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1fdb1f26.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commitResults((uint256,bytes32)[] batch) returns()
func (hearthMarket *HearthMarket) TryPackCommitResults(batch []HearthMarketCommitment) ([]byte, error) {
	return hearthMarket.abi.Pack("commitResults", batch)
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0e30db0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit() payable returns()
func (hearthMarket *HearthMarket) PackDeposit() []byte {
	enc, err := hearthMarket.abi.Pack("deposit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0e30db0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit() payable returns()
func (hearthMarket *HearthMarket) TryPackDeposit() ([]byte, error) {
	return hearthMarket.abi.Pack("deposit")
}

// PackExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9fad8ee.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exit() returns()
func (hearthMarket *HearthMarket) PackExit() []byte {
	enc, err := hearthMarket.abi.Pack("exit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9fad8ee.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exit() returns()
func (hearthMarket *HearthMarket) TryPackExit() ([]byte, error) {
	return hearthMarket.abi.Pack("exit")
}

// PackFinalize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x05261aea.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function finalize(uint256 id) returns()
func (hearthMarket *HearthMarket) PackFinalize(id *big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("finalize", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFinalize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x05261aea.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function finalize(uint256 id) returns()
func (hearthMarket *HearthMarket) TryPackFinalize(id *big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("finalize", id)
}

// PackGetOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd09ef241.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getOrder(uint256 id) view returns((address,uint96,address,uint40,uint24,uint24,uint8,bytes32,bytes32,bytes32))
func (hearthMarket *HearthMarket) PackGetOrder(id *big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("getOrder", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd09ef241.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getOrder(uint256 id) view returns((address,uint96,address,uint40,uint24,uint24,uint8,bytes32,bytes32,bytes32))
func (hearthMarket *HearthMarket) TryPackGetOrder(id *big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("getOrder", id)
}

// UnpackGetOrder is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd09ef241.
//
// Solidity: function getOrder(uint256 id) view returns((address,uint96,address,uint40,uint24,uint24,uint8,bytes32,bytes32,bytes32))
func (hearthMarket *HearthMarket) UnpackGetOrder(data []byte) (HearthMarketOrder, error) {
	out, err := hearthMarket.abi.Unpack("getOrder", data)
	if err != nil {
		return *new(HearthMarketOrder), err
	}
	out0 := *abi.ConvertType(out[0], new(HearthMarketOrder)).(*HearthMarketOrder)
	return out0, nil
}

// PackJoinOrders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9cf52e9d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function joinOrders(uint256[] ids) returns()
func (hearthMarket *HearthMarket) PackJoinOrders(ids []*big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("joinOrders", ids)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackJoinOrders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9cf52e9d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function joinOrders(uint256[] ids) returns()
func (hearthMarket *HearthMarket) TryPackJoinOrders(ids []*big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("joinOrders", ids)
}

// PackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minStake() view returns(uint256)
func (hearthMarket *HearthMarket) PackMinStake() []byte {
	enc, err := hearthMarket.abi.Pack("minStake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minStake() view returns(uint256)
func (hearthMarket *HearthMarket) TryPackMinStake() ([]byte, error) {
	return hearthMarket.abi.Pack("minStake")
}

// UnpackMinStake is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x375b3c0a.
//
// Solidity: function minStake() view returns(uint256)
func (hearthMarket *HearthMarket) UnpackMinStake(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("minStake", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOrderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2453ffa8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function orderCount() view returns(uint256)
func (hearthMarket *HearthMarket) PackOrderCount() []byte {
	enc, err := hearthMarket.abi.Pack("orderCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOrderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2453ffa8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function orderCount() view returns(uint256)
func (hearthMarket *HearthMarket) TryPackOrderCount() ([]byte, error) {
	return hearthMarket.abi.Pack("orderCount")
}

// UnpackOrderCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2453ffa8.
//
// Solidity: function orderCount() view returns(uint256)
func (hearthMarket *HearthMarket) UnpackOrderCount(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("orderCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPostOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9d563dbf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function postOrder(address provider, bytes32 appDigest, string appURI, uint8 runtime, bytes32[] inputs, string[] args, uint24 tasks, uint96 pricePerTask, uint40 deadline) returns(uint256 id)
func (hearthMarket *HearthMarket) PackPostOrder(provider common.Address, appDigest [32]byte, appURI string, runtime uint8, inputs [][32]byte, args []string, tasks *big.Int, pricePerTask *big.Int, deadline *big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("postOrder", provider, appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPostOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9d563dbf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function postOrder(address provider, bytes32 appDigest, string appURI, uint8 runtime, bytes32[] inputs, string[] args, uint24 tasks, uint96 pricePerTask, uint40 deadline) returns(uint256 id)
func (hearthMarket *HearthMarket) TryPackPostOrder(provider common.Address, appDigest [32]byte, appURI string, runtime uint8, inputs [][32]byte, args []string, tasks *big.Int, pricePerTask *big.Int, deadline *big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("postOrder", provider, appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline)
}

// UnpackPostOrder is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9d563dbf.
//
// Solidity: function postOrder(address provider, bytes32 appDigest, string appURI, uint8 runtime, bytes32[] inputs, string[] args, uint24 tasks, uint96 pricePerTask, uint40 deadline) returns(uint256 id)
func (hearthMarket *HearthMarket) UnpackPostOrder(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("postOrder", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPostReplicatedOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb8364f76.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function postReplicatedOrder(bytes32 appDigest, string appURI, uint8 runtime, bytes32[] inputs, string[] args, uint24 tasks, uint96 pricePerTask, uint40 deadline, uint8 replicas, uint8 quorum) returns(uint256 id)
func (hearthMarket *HearthMarket) PackPostReplicatedOrder(appDigest [32]byte, appURI string, runtime uint8, inputs [][32]byte, args []string, tasks *big.Int, pricePerTask *big.Int, deadline *big.Int, replicas uint8, quorum uint8) []byte {
	enc, err := hearthMarket.abi.Pack("postReplicatedOrder", appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline, replicas, quorum)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPostReplicatedOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb8364f76.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function postReplicatedOrder(bytes32 appDigest, string appURI, uint8 runtime, bytes32[] inputs, string[] args, uint24 tasks, uint96 pricePerTask, uint40 deadline, uint8 replicas, uint8 quorum) returns(uint256 id)
func (hearthMarket *HearthMarket) TryPackPostReplicatedOrder(appDigest [32]byte, appURI string, runtime uint8, inputs [][32]byte, args []string, tasks *big.Int, pricePerTask *big.Int, deadline *big.Int, replicas uint8, quorum uint8) ([]byte, error) {
	return hearthMarket.abi.Pack("postReplicatedOrder", appDigest, appURI, runtime, inputs, args, tasks, pricePerTask, deadline, replicas, quorum)
}

// UnpackPostReplicatedOrder is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb8364f76.
//
// Solidity: function postReplicatedOrder(bytes32 appDigest, string appURI, uint8 runtime, bytes32[] inputs, string[] args, uint24 tasks, uint96 pricePerTask, uint40 deadline, uint8 replicas, uint8 quorum) returns(uint256 id)
func (hearthMarket *HearthMarket) UnpackPostReplicatedOrder(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("postReplicatedOrder", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackProviders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0787bc27.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function providers(address ) view returns(uint128 stake, uint64 since, uint32 openOrders, bool active, string endpoint)
func (hearthMarket *HearthMarket) PackProviders(arg0 common.Address) []byte {
	enc, err := hearthMarket.abi.Pack("providers", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProviders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0787bc27.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function providers(address ) view returns(uint128 stake, uint64 since, uint32 openOrders, bool active, string endpoint)
func (hearthMarket *HearthMarket) TryPackProviders(arg0 common.Address) ([]byte, error) {
	return hearthMarket.abi.Pack("providers", arg0)
}

// ProvidersOutput serves as a container for the return parameters of contract
// method Providers.
type ProvidersOutput struct {
	Stake      *big.Int
	Since      uint64
	OpenOrders uint32
	Active     bool
	Endpoint   string
}

// UnpackProviders is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0787bc27.
//
// Solidity: function providers(address ) view returns(uint128 stake, uint64 since, uint32 openOrders, bool active, string endpoint)
func (hearthMarket *HearthMarket) UnpackProviders(data []byte) (ProvidersOutput, error) {
	out, err := hearthMarket.abi.Unpack("providers", data)
	outstruct := new(ProvidersOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Stake = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Since = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.OpenOrders = *abi.ConvertType(out[2], new(uint32)).(*uint32)
	outstruct.Active = *abi.ConvertType(out[3], new(bool)).(*bool)
	outstruct.Endpoint = *abi.ConvertType(out[4], new(string)).(*string)
	return *outstruct, nil
}

// PackReclaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2dabbeed.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reclaim(uint256 id) returns()
func (hearthMarket *HearthMarket) PackReclaim(id *big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("reclaim", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReclaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2dabbeed.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reclaim(uint256 id) returns()
func (hearthMarket *HearthMarket) TryPackReclaim(id *big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("reclaim", id)
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc5ba23c5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(string endpoint, (uint32,uint32,uint64,uint32,string,string) info) payable returns()
func (hearthMarket *HearthMarket) PackRegister(endpoint string, info HearthMarketPoolInfo) []byte {
	enc, err := hearthMarket.abi.Pack("register", endpoint, info)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc5ba23c5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(string endpoint, (uint32,uint32,uint64,uint32,string,string) info) payable returns()
func (hearthMarket *HearthMarket) TryPackRegister(endpoint string, info HearthMarketPoolInfo) ([]byte, error) {
	return hearthMarket.abi.Pack("register", endpoint, info)
}

// PackReplication is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe93b370d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function replication(uint256 ) view returns(uint8 replicas, uint8 quorum, uint8 joined, uint8 committed, uint8 revealed)
func (hearthMarket *HearthMarket) PackReplication(arg0 *big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("replication", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReplication is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe93b370d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function replication(uint256 ) view returns(uint8 replicas, uint8 quorum, uint8 joined, uint8 committed, uint8 revealed)
func (hearthMarket *HearthMarket) TryPackReplication(arg0 *big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("replication", arg0)
}

// ReplicationOutput serves as a container for the return parameters of contract
// method Replication.
type ReplicationOutput struct {
	Replicas  uint8
	Quorum    uint8
	Joined    uint8
	Committed uint8
	Revealed  uint8
}

// UnpackReplication is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe93b370d.
//
// Solidity: function replication(uint256 ) view returns(uint8 replicas, uint8 quorum, uint8 joined, uint8 committed, uint8 revealed)
func (hearthMarket *HearthMarket) UnpackReplication(data []byte) (ReplicationOutput, error) {
	out, err := hearthMarket.abi.Unpack("replication", data)
	outstruct := new(ReplicationOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Replicas = *abi.ConvertType(out[0], new(uint8)).(*uint8)
	outstruct.Quorum = *abi.ConvertType(out[1], new(uint8)).(*uint8)
	outstruct.Joined = *abi.ConvertType(out[2], new(uint8)).(*uint8)
	outstruct.Committed = *abi.ConvertType(out[3], new(uint8)).(*uint8)
	outstruct.Revealed = *abi.ConvertType(out[4], new(uint8)).(*uint8)
	return *outstruct, nil
}

// PackRevealResults is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbf29340a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revealResults((uint256,bytes32,uint24)[] batch) returns()
func (hearthMarket *HearthMarket) PackRevealResults(batch []HearthMarketSettlement) []byte {
	enc, err := hearthMarket.abi.Pack("revealResults", batch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevealResults is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbf29340a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revealResults((uint256,bytes32,uint24)[] batch) returns()
func (hearthMarket *HearthMarket) TryPackRevealResults(batch []HearthMarketSettlement) ([]byte, error) {
	return hearthMarket.abi.Pack("revealResults", batch)
}

// PackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcba96216.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settle((uint256,bytes32,uint24)[] batch) returns()
func (hearthMarket *HearthMarket) PackSettle(batch []HearthMarketSettlement) []byte {
	enc, err := hearthMarket.abi.Pack("settle", batch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcba96216.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settle((uint256,bytes32,uint24)[] batch) returns()
func (hearthMarket *HearthMarket) TryPackSettle(batch []HearthMarketSettlement) ([]byte, error) {
	return hearthMarket.abi.Pack("settle", batch)
}

// PackSpecHashOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe5347d0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function specHashOf(string appURI, uint8 runtime, bytes32[] inputs, string[] args) pure returns(bytes32)
func (hearthMarket *HearthMarket) PackSpecHashOf(appURI string, runtime uint8, inputs [][32]byte, args []string) []byte {
	enc, err := hearthMarket.abi.Pack("specHashOf", appURI, runtime, inputs, args)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSpecHashOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe5347d0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function specHashOf(string appURI, uint8 runtime, bytes32[] inputs, string[] args) pure returns(bytes32)
func (hearthMarket *HearthMarket) TryPackSpecHashOf(appURI string, runtime uint8, inputs [][32]byte, args []string) ([]byte, error) {
	return hearthMarket.abi.Pack("specHashOf", appURI, runtime, inputs, args)
}

// UnpackSpecHashOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfe5347d0.
//
// Solidity: function specHashOf(string appURI, uint8 runtime, bytes32[] inputs, string[] args) pure returns(bytes32)
func (hearthMarket *HearthMarket) UnpackSpecHashOf(data []byte) ([32]byte, error) {
	out, err := hearthMarket.abi.Unpack("specHashOf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackUpdateProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x53d6b5e6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateProvider(string endpoint, (uint32,uint32,uint64,uint32,string,string) info) returns()
func (hearthMarket *HearthMarket) PackUpdateProvider(endpoint string, info HearthMarketPoolInfo) []byte {
	enc, err := hearthMarket.abi.Pack("updateProvider", endpoint, info)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x53d6b5e6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateProvider(string endpoint, (uint32,uint32,uint64,uint32,string,string) info) returns()
func (hearthMarket *HearthMarket) TryPackUpdateProvider(endpoint string, info HearthMarketPoolInfo) ([]byte, error) {
	return hearthMarket.abi.Pack("updateProvider", endpoint, info)
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e1a7d4d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(uint256 amount) returns()
func (hearthMarket *HearthMarket) PackWithdraw(amount *big.Int) []byte {
	enc, err := hearthMarket.abi.Pack("withdraw", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e1a7d4d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(uint256 amount) returns()
func (hearthMarket *HearthMarket) TryPackWithdraw(amount *big.Int) ([]byte, error) {
	return hearthMarket.abi.Pack("withdraw", amount)
}

// HearthMarketDeposited represents a Deposited event raised by the HearthMarket contract.
type HearthMarketDeposited struct {
	Account common.Address
	Amount  *big.Int
	Balance *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const HearthMarketDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (HearthMarketDeposited) ContractEventName() string {
	return HearthMarketDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(address indexed account, uint256 amount, uint256 balance)
func (hearthMarket *HearthMarket) UnpackDepositedEvent(log *types.Log) (*HearthMarketDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketDeposited)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketOrderAccepted represents a OrderAccepted event raised by the HearthMarket contract.
type HearthMarketOrderAccepted struct {
	Id       *big.Int
	Provider common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrderAcceptedEventName = "OrderAccepted"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrderAccepted) ContractEventName() string {
	return HearthMarketOrderAcceptedEventName
}

// UnpackOrderAcceptedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderAccepted(uint256 indexed id, address indexed provider)
func (hearthMarket *HearthMarket) UnpackOrderAcceptedEvent(log *types.Log) (*HearthMarketOrderAccepted, error) {
	event := "OrderAccepted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrderAccepted)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketOrderDisputed represents a OrderDisputed event raised by the HearthMarket contract.
type HearthMarketOrderDisputed struct {
	Id       *big.Int
	Refunded *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrderDisputedEventName = "OrderDisputed"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrderDisputed) ContractEventName() string {
	return HearthMarketOrderDisputedEventName
}

// UnpackOrderDisputedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderDisputed(uint256 indexed id, uint256 refunded)
func (hearthMarket *HearthMarket) UnpackOrderDisputedEvent(log *types.Log) (*HearthMarketOrderDisputed, error) {
	event := "OrderDisputed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrderDisputed)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketOrderJoined represents a OrderJoined event raised by the HearthMarket contract.
type HearthMarketOrderJoined struct {
	Id       *big.Int
	Provider common.Address
	Joined   uint8
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrderJoinedEventName = "OrderJoined"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrderJoined) ContractEventName() string {
	return HearthMarketOrderJoinedEventName
}

// UnpackOrderJoinedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderJoined(uint256 indexed id, address indexed provider, uint8 joined)
func (hearthMarket *HearthMarket) UnpackOrderJoinedEvent(log *types.Log) (*HearthMarketOrderJoined, error) {
	event := "OrderJoined"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrderJoined)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketOrderPosted represents a OrderPosted event raised by the HearthMarket contract.
type HearthMarketOrderPosted struct {
	Id           *big.Int
	Requester    common.Address
	Provider     common.Address
	AppDigest    [32]byte
	AppURI       string
	Runtime      uint8
	Inputs       [][32]byte
	Args         []string
	Tasks        *big.Int
	PricePerTask *big.Int
	Deadline     *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrderPostedEventName = "OrderPosted"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrderPosted) ContractEventName() string {
	return HearthMarketOrderPostedEventName
}

// UnpackOrderPostedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderPosted(uint256 indexed id, address indexed requester, address indexed provider, bytes32 appDigest, string appURI, uint8 runtime, bytes32[] inputs, string[] args, uint24 tasks, uint96 pricePerTask, uint40 deadline)
func (hearthMarket *HearthMarket) UnpackOrderPostedEvent(log *types.Log) (*HearthMarketOrderPosted, error) {
	event := "OrderPosted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrderPosted)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketOrderReclaimed represents a OrderReclaimed event raised by the HearthMarket contract.
type HearthMarketOrderReclaimed struct {
	Id        *big.Int
	Requester common.Address
	Refunded  *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrderReclaimedEventName = "OrderReclaimed"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrderReclaimed) ContractEventName() string {
	return HearthMarketOrderReclaimedEventName
}

// UnpackOrderReclaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderReclaimed(uint256 indexed id, address indexed requester, uint256 refunded)
func (hearthMarket *HearthMarket) UnpackOrderReclaimedEvent(log *types.Log) (*HearthMarketOrderReclaimed, error) {
	event := "OrderReclaimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrderReclaimed)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketOrderReplicated represents a OrderReplicated event raised by the HearthMarket contract.
type HearthMarketOrderReplicated struct {
	Id       *big.Int
	Replicas uint8
	Quorum   uint8
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrderReplicatedEventName = "OrderReplicated"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrderReplicated) ContractEventName() string {
	return HearthMarketOrderReplicatedEventName
}

// UnpackOrderReplicatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderReplicated(uint256 indexed id, uint8 replicas, uint8 quorum)
func (hearthMarket *HearthMarket) UnpackOrderReplicatedEvent(log *types.Log) (*HearthMarketOrderReplicated, error) {
	event := "OrderReplicated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrderReplicated)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketOrderSettled represents a OrderSettled event raised by the HearthMarket contract.
type HearthMarketOrderSettled struct {
	Id         *big.Int
	Provider   common.Address
	ResultRoot [32]byte
	TasksDone  *big.Int
	Paid       *big.Int
	Refunded   *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrderSettledEventName = "OrderSettled"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrderSettled) ContractEventName() string {
	return HearthMarketOrderSettledEventName
}

// UnpackOrderSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderSettled(uint256 indexed id, address indexed provider, bytes32 resultRoot, uint24 tasksDone, uint256 paid, uint256 refunded)
func (hearthMarket *HearthMarket) UnpackOrderSettledEvent(log *types.Log) (*HearthMarketOrderSettled, error) {
	event := "OrderSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrderSettled)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketProviderExited represents a ProviderExited event raised by the HearthMarket contract.
type HearthMarketProviderExited struct {
	Provider common.Address
	Stake    *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketProviderExitedEventName = "ProviderExited"

// ContractEventName returns the user-defined event name.
func (HearthMarketProviderExited) ContractEventName() string {
	return HearthMarketProviderExitedEventName
}

// UnpackProviderExitedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderExited(address indexed provider, uint256 stake)
func (hearthMarket *HearthMarket) UnpackProviderExitedEvent(log *types.Log) (*HearthMarketProviderExited, error) {
	event := "ProviderExited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketProviderExited)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketProviderRegistered represents a ProviderRegistered event raised by the HearthMarket contract.
type HearthMarketProviderRegistered struct {
	Provider common.Address
	Stake    *big.Int
	Endpoint string
	Info     HearthMarketPoolInfo
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketProviderRegisteredEventName = "ProviderRegistered"

// ContractEventName returns the user-defined event name.
func (HearthMarketProviderRegistered) ContractEventName() string {
	return HearthMarketProviderRegisteredEventName
}

// UnpackProviderRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderRegistered(address indexed provider, uint256 stake, string endpoint, (uint32,uint32,uint64,uint32,string,string) info)
func (hearthMarket *HearthMarket) UnpackProviderRegisteredEvent(log *types.Log) (*HearthMarketProviderRegistered, error) {
	event := "ProviderRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketProviderRegistered)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketProviderSlashed represents a ProviderSlashed event raised by the HearthMarket contract.
type HearthMarketProviderSlashed struct {
	Id       *big.Int
	Provider common.Address
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketProviderSlashedEventName = "ProviderSlashed"

// ContractEventName returns the user-defined event name.
func (HearthMarketProviderSlashed) ContractEventName() string {
	return HearthMarketProviderSlashedEventName
}

// UnpackProviderSlashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderSlashed(uint256 indexed id, address indexed provider, uint256 amount)
func (hearthMarket *HearthMarket) UnpackProviderSlashedEvent(log *types.Log) (*HearthMarketProviderSlashed, error) {
	event := "ProviderSlashed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketProviderSlashed)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketProviderUpdated represents a ProviderUpdated event raised by the HearthMarket contract.
type HearthMarketProviderUpdated struct {
	Provider common.Address
	Endpoint string
	Info     HearthMarketPoolInfo
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketProviderUpdatedEventName = "ProviderUpdated"

// ContractEventName returns the user-defined event name.
func (HearthMarketProviderUpdated) ContractEventName() string {
	return HearthMarketProviderUpdatedEventName
}

// UnpackProviderUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProviderUpdated(address indexed provider, string endpoint, (uint32,uint32,uint64,uint32,string,string) info)
func (hearthMarket *HearthMarket) UnpackProviderUpdatedEvent(log *types.Log) (*HearthMarketProviderUpdated, error) {
	event := "ProviderUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketProviderUpdated)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketResultCommitted represents a ResultCommitted event raised by the HearthMarket contract.
type HearthMarketResultCommitted struct {
	Id       *big.Int
	Provider common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketResultCommittedEventName = "ResultCommitted"

// ContractEventName returns the user-defined event name.
func (HearthMarketResultCommitted) ContractEventName() string {
	return HearthMarketResultCommittedEventName
}

// UnpackResultCommittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ResultCommitted(uint256 indexed id, address indexed provider)
func (hearthMarket *HearthMarket) UnpackResultCommittedEvent(log *types.Log) (*HearthMarketResultCommitted, error) {
	event := "ResultCommitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketResultCommitted)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketResultRevealed represents a ResultRevealed event raised by the HearthMarket contract.
type HearthMarketResultRevealed struct {
	Id         *big.Int
	Provider   common.Address
	ResultRoot [32]byte
	TasksDone  *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const HearthMarketResultRevealedEventName = "ResultRevealed"

// ContractEventName returns the user-defined event name.
func (HearthMarketResultRevealed) ContractEventName() string {
	return HearthMarketResultRevealedEventName
}

// UnpackResultRevealedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ResultRevealed(uint256 indexed id, address indexed provider, bytes32 resultRoot, uint24 tasksDone)
func (hearthMarket *HearthMarket) UnpackResultRevealedEvent(log *types.Log) (*HearthMarketResultRevealed, error) {
	event := "ResultRevealed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketResultRevealed)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// HearthMarketWithdrawn represents a Withdrawn event raised by the HearthMarket contract.
type HearthMarketWithdrawn struct {
	Account common.Address
	Amount  *big.Int
	Balance *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const HearthMarketWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (HearthMarketWithdrawn) ContractEventName() string {
	return HearthMarketWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount, uint256 balance)
func (hearthMarket *HearthMarket) UnpackWithdrawnEvent(log *types.Log) (*HearthMarketWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketWithdrawn)
	if len(log.Data) > 0 {
		if err := hearthMarket.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range hearthMarket.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (hearthMarket *HearthMarket) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["AlreadyJoined"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackAlreadyJoinedError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["AlreadyRegistered"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["BadOrder"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackBadOrderError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["DeadlineNotPassed"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackDeadlineNotPassedError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["DeadlinePassed"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackDeadlinePassedError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["FinalizeTooEarly"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackFinalizeTooEarlyError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackInsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["InsufficientEscrow"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackInsufficientEscrowError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["NotJoined"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackNotJoinedError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["NotProvider"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackNotProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["NotReplicated"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackNotReplicatedError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["NotYourOrder"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackNotYourOrderError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["ProviderBusy"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackProviderBusyError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["RevealMismatch"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackRevealMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["RevealTooEarly"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackRevealTooEarlyError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["StakeTooLow"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackStakeTooLowError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["TooManyTasksDone"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackTooManyTasksDoneError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["WrongStatus"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackWrongStatusError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["WrongStep"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackWrongStepError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackZeroAmountError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// HearthMarketAlreadyJoined represents a AlreadyJoined error raised by the HearthMarket contract.
type HearthMarketAlreadyJoined struct {
	Id       *big.Int
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyJoined(uint256 id, address provider)
func HearthMarketAlreadyJoinedErrorID() common.Hash {
	return common.HexToHash("0x682bdbac2a35c24f8fcdc4a37603a9b791e1305bab604c31325ea787634c542d")
}

// UnpackAlreadyJoinedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyJoined(uint256 id, address provider)
func (hearthMarket *HearthMarket) UnpackAlreadyJoinedError(raw []byte) (*HearthMarketAlreadyJoined, error) {
	out := new(HearthMarketAlreadyJoined)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "AlreadyJoined", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketAlreadyRegistered represents a AlreadyRegistered error raised by the HearthMarket contract.
type HearthMarketAlreadyRegistered struct {
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRegistered(address provider)
func HearthMarketAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0x45ed80e9399c87887ea54f615514a1e3dde31e9b6c027ddceb4ffd503b70e428")
}

// UnpackAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRegistered(address provider)
func (hearthMarket *HearthMarket) UnpackAlreadyRegisteredError(raw []byte) (*HearthMarketAlreadyRegistered, error) {
	out := new(HearthMarketAlreadyRegistered)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "AlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketBadOrder represents a BadOrder error raised by the HearthMarket contract.
type HearthMarketBadOrder struct {
	Reason string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadOrder(string reason)
func HearthMarketBadOrderErrorID() common.Hash {
	return common.HexToHash("0x9656661b5c939be809489529f02343b4d408ca10dcd4161b224fe57cc663f11a")
}

// UnpackBadOrderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadOrder(string reason)
func (hearthMarket *HearthMarket) UnpackBadOrderError(raw []byte) (*HearthMarketBadOrder, error) {
	out := new(HearthMarketBadOrder)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "BadOrder", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketDeadlineNotPassed represents a DeadlineNotPassed error raised by the HearthMarket contract.
type HearthMarketDeadlineNotPassed struct {
	Id       *big.Int
	Deadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeadlineNotPassed(uint256 id, uint256 deadline)
func HearthMarketDeadlineNotPassedErrorID() common.Hash {
	return common.HexToHash("0x408b57fbc2a48a89bf372945ae8105ee2ff4083ea29fb8b6b2fda2809c546866")
}

// UnpackDeadlineNotPassedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeadlineNotPassed(uint256 id, uint256 deadline)
func (hearthMarket *HearthMarket) UnpackDeadlineNotPassedError(raw []byte) (*HearthMarketDeadlineNotPassed, error) {
	out := new(HearthMarketDeadlineNotPassed)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "DeadlineNotPassed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketDeadlinePassed represents a DeadlinePassed error raised by the HearthMarket contract.
type HearthMarketDeadlinePassed struct {
	Id       *big.Int
	Deadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeadlinePassed(uint256 id, uint256 deadline)
func HearthMarketDeadlinePassedErrorID() common.Hash {
	return common.HexToHash("0x83f2ba20b77c67656c85ef54103e25e4c03a482a8919c6010a4781ea13974bb7")
}

// UnpackDeadlinePassedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeadlinePassed(uint256 id, uint256 deadline)
func (hearthMarket *HearthMarket) UnpackDeadlinePassedError(raw []byte) (*HearthMarketDeadlinePassed, error) {
	out := new(HearthMarketDeadlinePassed)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "DeadlinePassed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketFinalizeTooEarly represents a FinalizeTooEarly error raised by the HearthMarket contract.
type HearthMarketFinalizeTooEarly struct {
	Id *big.Int
	At *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FinalizeTooEarly(uint256 id, uint256 at)
func HearthMarketFinalizeTooEarlyErrorID() common.Hash {
	return common.HexToHash("0xafc7dc70d5fd34fefa40cb198c017a46d5f2128c861ac1d08f0186cfefb80c57")
}

// UnpackFinalizeTooEarlyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FinalizeTooEarly(uint256 id, uint256 at)
func (hearthMarket *HearthMarket) UnpackFinalizeTooEarlyError(raw []byte) (*HearthMarketFinalizeTooEarly, error) {
	out := new(HearthMarketFinalizeTooEarly)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "FinalizeTooEarly", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketInsufficientBalance represents a InsufficientBalance error raised by the HearthMarket contract.
type HearthMarketInsufficientBalance struct {
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func HearthMarketInsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xcf4791818fba6e019216eb4864093b4947f674afada5d305e57d598b641dad1d")
}

// UnpackInsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func (hearthMarket *HearthMarket) UnpackInsufficientBalanceError(raw []byte) (*HearthMarketInsufficientBalance, error) {
	out := new(HearthMarketInsufficientBalance)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketInsufficientEscrow represents a InsufficientEscrow error raised by the HearthMarket contract.
type HearthMarketInsufficientEscrow struct {
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientEscrow(uint256 balance, uint256 needed)
func HearthMarketInsufficientEscrowErrorID() common.Hash {
	return common.HexToHash("0xc0710ec85093bc42a85790b3e7960a058f1e6b21003b2de03ec7502e28018cd1")
}

// UnpackInsufficientEscrowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientEscrow(uint256 balance, uint256 needed)
func (hearthMarket *HearthMarket) UnpackInsufficientEscrowError(raw []byte) (*HearthMarketInsufficientEscrow, error) {
	out := new(HearthMarketInsufficientEscrow)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "InsufficientEscrow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketNotJoined represents a NotJoined error raised by the HearthMarket contract.
type HearthMarketNotJoined struct {
	Id       *big.Int
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotJoined(uint256 id, address provider)
func HearthMarketNotJoinedErrorID() common.Hash {
	return common.HexToHash("0xc3e8c85bc4ea5ab4e15cc6bb41e4dd6f1b39c280dc0b9fce7fc4f3169bd56c1a")
}

// UnpackNotJoinedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotJoined(uint256 id, address provider)
func (hearthMarket *HearthMarket) UnpackNotJoinedError(raw []byte) (*HearthMarketNotJoined, error) {
	out := new(HearthMarketNotJoined)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "NotJoined", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketNotProvider represents a NotProvider error raised by the HearthMarket contract.
type HearthMarketNotProvider struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotProvider(address account)
func HearthMarketNotProviderErrorID() common.Hash {
	return common.HexToHash("0x1bd2224f47bf32854983ee16847394426ab18eae693119e80eb952977965d64a")
}

// UnpackNotProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotProvider(address account)
func (hearthMarket *HearthMarket) UnpackNotProviderError(raw []byte) (*HearthMarketNotProvider, error) {
	out := new(HearthMarketNotProvider)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "NotProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketNotReplicated represents a NotReplicated error raised by the HearthMarket contract.
type HearthMarketNotReplicated struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotReplicated(uint256 id)
func HearthMarketNotReplicatedErrorID() common.Hash {
	return common.HexToHash("0xde507b1b08941f355c2d13b73ab8f4bed3b10974d384b7412e773c6c642c970b")
}

// UnpackNotReplicatedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotReplicated(uint256 id)
func (hearthMarket *HearthMarket) UnpackNotReplicatedError(raw []byte) (*HearthMarketNotReplicated, error) {
	out := new(HearthMarketNotReplicated)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "NotReplicated", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketNotYourOrder represents a NotYourOrder error raised by the HearthMarket contract.
type HearthMarketNotYourOrder struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotYourOrder(uint256 id)
func HearthMarketNotYourOrderErrorID() common.Hash {
	return common.HexToHash("0x0324e5e7871b29fecd2ea0e27761036b2a9e20bca9810ac3d351058ae23c6449")
}

// UnpackNotYourOrderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotYourOrder(uint256 id)
func (hearthMarket *HearthMarket) UnpackNotYourOrderError(raw []byte) (*HearthMarketNotYourOrder, error) {
	out := new(HearthMarketNotYourOrder)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "NotYourOrder", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketProviderBusy represents a ProviderBusy error raised by the HearthMarket contract.
type HearthMarketProviderBusy struct {
	OpenOrders uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProviderBusy(uint32 openOrders)
func HearthMarketProviderBusyErrorID() common.Hash {
	return common.HexToHash("0x3c9c228e28796e77b5b44ada790428f2d38acd38c9f445f4dc2b4e8fdac86ff1")
}

// UnpackProviderBusyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProviderBusy(uint32 openOrders)
func (hearthMarket *HearthMarket) UnpackProviderBusyError(raw []byte) (*HearthMarketProviderBusy, error) {
	out := new(HearthMarketProviderBusy)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "ProviderBusy", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketRevealMismatch represents a RevealMismatch error raised by the HearthMarket contract.
type HearthMarketRevealMismatch struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RevealMismatch(uint256 id)
func HearthMarketRevealMismatchErrorID() common.Hash {
	return common.HexToHash("0xb658eb5be346edf03ad02178bbe16b5c085a552ac4560fab669d8e1b0cf5586a")
}

// UnpackRevealMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RevealMismatch(uint256 id)
func (hearthMarket *HearthMarket) UnpackRevealMismatchError(raw []byte) (*HearthMarketRevealMismatch, error) {
	out := new(HearthMarketRevealMismatch)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "RevealMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketRevealTooEarly represents a RevealTooEarly error raised by the HearthMarket contract.
type HearthMarketRevealTooEarly struct {
	Id        *big.Int
	Committed uint8
	Replicas  uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RevealTooEarly(uint256 id, uint8 committed, uint8 replicas)
func HearthMarketRevealTooEarlyErrorID() common.Hash {
	return common.HexToHash("0x13ce15cc2ddb90fe8db77dafd6a653e9892f6f68b51eba1e24620880c5c7a63f")
}

// UnpackRevealTooEarlyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RevealTooEarly(uint256 id, uint8 committed, uint8 replicas)
func (hearthMarket *HearthMarket) UnpackRevealTooEarlyError(raw []byte) (*HearthMarketRevealTooEarly, error) {
	out := new(HearthMarketRevealTooEarly)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "RevealTooEarly", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketStakeTooLow represents a StakeTooLow error raised by the HearthMarket contract.
type HearthMarketStakeTooLow struct {
	Sent *big.Int
	Min  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StakeTooLow(uint256 sent, uint256 min)
func HearthMarketStakeTooLowErrorID() common.Hash {
	return common.HexToHash("0x829f11638d406de2605d01f8ea108c1f13393def0f2b7b6e6ffffd9996d50bd5")
}

// UnpackStakeTooLowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StakeTooLow(uint256 sent, uint256 min)
func (hearthMarket *HearthMarket) UnpackStakeTooLowError(raw []byte) (*HearthMarketStakeTooLow, error) {
	out := new(HearthMarketStakeTooLow)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "StakeTooLow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketTooManyTasksDone represents a TooManyTasksDone error raised by the HearthMarket contract.
type HearthMarketTooManyTasksDone struct {
	Id        *big.Int
	TasksDone *big.Int
	Tasks     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooManyTasksDone(uint256 id, uint256 tasksDone, uint256 tasks)
func HearthMarketTooManyTasksDoneErrorID() common.Hash {
	return common.HexToHash("0x8ec62d13db269f8899ba889e034c37cf7e852be9cc7cb0dffbf4af3ba134b0c4")
}

// UnpackTooManyTasksDoneError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooManyTasksDone(uint256 id, uint256 tasksDone, uint256 tasks)
func (hearthMarket *HearthMarket) UnpackTooManyTasksDoneError(raw []byte) (*HearthMarketTooManyTasksDone, error) {
	out := new(HearthMarketTooManyTasksDone)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "TooManyTasksDone", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketTransferFailed represents a TransferFailed error raised by the HearthMarket contract.
type HearthMarketTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func HearthMarketTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (hearthMarket *HearthMarket) UnpackTransferFailedError(raw []byte) (*HearthMarketTransferFailed, error) {
	out := new(HearthMarketTransferFailed)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketWrongStatus represents a WrongStatus error raised by the HearthMarket contract.
type HearthMarketWrongStatus struct {
	Id     *big.Int
	Status uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongStatus(uint256 id, uint8 status)
func HearthMarketWrongStatusErrorID() common.Hash {
	return common.HexToHash("0xa5d15e1f94e40302e3f7050760870a95f04eb9d943cd2cb333833178258083d6")
}

// UnpackWrongStatusError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongStatus(uint256 id, uint8 status)
func (hearthMarket *HearthMarket) UnpackWrongStatusError(raw []byte) (*HearthMarketWrongStatus, error) {
	out := new(HearthMarketWrongStatus)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "WrongStatus", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketWrongStep represents a WrongStep error raised by the HearthMarket contract.
type HearthMarketWrongStep struct {
	Id   *big.Int
	Step uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongStep(uint256 id, uint8 step)
func HearthMarketWrongStepErrorID() common.Hash {
	return common.HexToHash("0x67717fdc00dff148a080e47d8fb0f2a200e556f31d798eca92bddb8842cf33cc")
}

// UnpackWrongStepError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongStep(uint256 id, uint8 step)
func (hearthMarket *HearthMarket) UnpackWrongStepError(raw []byte) (*HearthMarketWrongStep, error) {
	out := new(HearthMarketWrongStep)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "WrongStep", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// HearthMarketZeroAmount represents a ZeroAmount error raised by the HearthMarket contract.
type HearthMarketZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func HearthMarketZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (hearthMarket *HearthMarket) UnpackZeroAmountError(raw []byte) (*HearthMarketZeroAmount, error) {
	out := new(HearthMarketZeroAmount)
	if err := hearthMarket.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}
