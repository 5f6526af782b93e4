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
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"minStake_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"AlreadyJoined\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"BadOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlineNotPassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlinePassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"at\",\"type\":\"uint256\"}],\"name\":\"FinalizeTooEarly\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientEscrow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"NotJoined\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"NotReplicated\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"NotYourOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"openOrders\",\"type\":\"uint32\"}],\"name\":\"ProviderBusy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"RevealMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"committed\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"}],\"name\":\"RevealTooEarly\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"min\",\"type\":\"uint256\"}],\"name\":\"StakeTooLow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"tasksDone\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"tasks\",\"type\":\"uint256\"}],\"name\":\"TooManyTasksDone\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"enumHearthMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"WrongStatus\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"step\",\"type\":\"uint8\"}],\"name\":\"WrongStep\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"OrderAccepted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderDisputed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"indexed\":false,\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"indexed\":false,\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"indexed\":false,\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"}],\"name\":\"OrderPosted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderReclaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"quorum\",\"type\":\"uint8\"}],\"name\":\"OrderReplicated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"OrdersJoined\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"ProviderExited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"ProviderRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"ProviderSlashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"ProviderUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"seal\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"ResultsCommitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"indexed\":false,\"internalType\":\"structHearthMarket.Settlement[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"ResultsRevealed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"JOIN_MARGIN\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REVEAL_WINDOW\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"UNREVEALED\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"acceptOrders\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"burned\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"},{\"internalType\":\"bytes32\",\"name\":\"seal\",\"type\":\"bytes32\"}],\"name\":\"commitResults\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"committedIds\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"finalize\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getOrder\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"},{\"internalType\":\"enumHearthMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structHearthMarket.Order\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"joinOrders\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minStake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"orderCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"}],\"name\":\"postOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"quorum\",\"type\":\"uint8\"}],\"name\":\"postReplicatedOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"name\":\"providerAt\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"providerCount\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"providers\",\"outputs\":[{\"internalType\":\"uint96\",\"name\":\"stake\",\"type\":\"uint96\"},{\"internalType\":\"uint96\",\"name\":\"locked\",\"type\":\"uint96\"},{\"internalType\":\"uint32\",\"name\":\"openOrders\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"uint24\",\"name\":\"number\",\"type\":\"uint24\"},{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"reclaim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"replication\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"replicas\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"quorum\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"joined\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"committed\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"revealed\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"agreeing\",\"type\":\"uint8\"},{\"internalType\":\"uint8\",\"name\":\"resolved\",\"type\":\"uint8\"},{\"internalType\":\"uint192\",\"name\":\"seats\",\"type\":\"uint192\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"internalType\":\"structHearthMarket.Settlement[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"revealResults\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"internalType\":\"structHearthMarket.Settlement[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"sealOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"internalType\":\"structHearthMarket.Settlement[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"}],\"name\":\"specHashOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"updateProvider\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "HearthMarket",
	Bin: "0x60a034605e57601f6140f838819003918201601f19168301916001600160401b03831184841017606257808492602094604052833981010312605e575160805260405161408190816100778239608051818181610c5b015261239d0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c90816305261aea14612bbf575080630787bc2714612a8257806307883f4e14612a4157806317e931cf14612a255780632453ffa814612a0957806327a350ca1461286c5780632dabbeed146124e35780632e1a7d4d146123c0578063375b3c0a1461238657806353d6b5e6146121f05780635fc1fe32146121a35780636f18dfc01461215f57806370a082311461212757806373f425611461210a57806374c83268146120e75780639cf52e9d14611c695780639d563dbf146118b6578063af269b581461189b578063b8364f76146111ea578063bf29340a14610fe6578063c5ba23c514610c36578063cba9621614610992578063d054e3fd14610976578063d09ef241146107ee578063d0e30db01461075d578063d40779fd14610397578063e93b370d1461030f578063e9fad8ee146102145763fe5347d01461015b575f80fd5b346102105760803660031901126102105760043567ffffffffffffffff81116102105761018c9036906004016130bd565b9060243560028110156102105760443567ffffffffffffffff8111610210576101b990369060040161308c565b9360643567ffffffffffffffff811161021057602095610205936101e46101f793369060040161308c565b9290916040519788968b88019a8b6134a5565b03601f198101835282613059565b519020604051908152f35b5f80fd5b34610210575f36600319011261021057335f52600160205260405f2080549060ff8260e01c16156102e35763ffffffff8260c01c16806102b8575060ff60e01b196001600160601b038316921681556001600160601b03198154169055335f52600260205260405f2061028882825461318e565b90556040519081527f86628a11e30e454ef156adae4d70764ab552ed8e3ed2fbd07ea14d6cca76781260203392a2005b7f3c9c228e000000000000000000000000000000000000000000000000000000005f5260045260245ffd5b7f1bd2224f000000000000000000000000000000000000000000000000000000005f523360045260245ffd5b34610210576020366003190112610210576004355f52600460205261010060405f20546001600160c01b036040519160ff8116835260ff8160081c16602084015260ff8160101c16604084015260ff8160181c16606084015260ff8160201c16608084015260ff8160281c1660a084015260ff8160301c1660c084015260381c1660e0820152f35b346102105760403660031901126102105760043567ffffffffffffffff8111610210576103c890369060040161308c565b6024359182156107185781156106d357335f52600860205260405f20835f5260205260405f205461068e57335f52600160205260405f205460e81c5f5b83811061048b57837fda273cec3c30c60ed91c2b0aefbec8bf35e3777c1fca5d56eed31b2d626102bc848760405160208101906020825261044e816101f76040820189886133dd565b519020335f52600860205260405f20825f5260205260405f2055610486604051928392835260406020840152339560408401916133dd565b0390a2005b61049681858561319b565b35805f526003602052600160405f2001548060f81c600681101561067a576002810361065e575060a01c64ffffffffff16428111156106485750805f52600460205260405f2090604051916104ea8361301f565b5460ff81168352602083019160ff8260081c168352604084019260ff8360101c168452606085019360ff8460181c1685526080860160ff8560201c16815260a087019260ff8660281c16845260c088019460ff8760301c1686526001600160c01b0360e08a019760381c1687526105628b8a83613f93565b60ff818a51161661063057885160ff169060ff161788525f52600460205260405f20975160ff16968854915160081b61ff0016935160101b62ff000016905160181b63ff00000016925160201b64ff0000000016945160281b65ff000000000016955160301b60ff60301b16965160381b670100000000000000600160f81b03169760ff60301b199465ff0000000000199364ff00000000199263ff000000199162ffffff1916171617161716171617670100000000000000600160f81b0319161717179055600101610405565b506319dc5ff760e21b5f52600452600260245260445ffd5b9063041f95d160e51b5f5260045260245260445ffd5b610675908363a5d15e1f60e01b5f52600452613173565b60445ffd5b634e487b7160e01b5f52602160045260245ffd5b6064604051639656661b60e01b815260206004820152600f60248201527f636f6d6d69746d656e74207573656400000000000000000000000000000000006044820152fd5b6064604051639656661b60e01b815260206004820152600960248201527f6e6f206f726465727300000000000000000000000000000000000000000000006044820152fd5b6064604051639656661b60e01b815260206004820152600f60248201527f7a65726f20636f6d6d69746d656e7400000000000000000000000000000000006044820152fd5b5f3660031901126102105734156107c657335f5260026020526107843460405f205461318e565b335f5260026020528060405f20556040519034825260208201527f73a19dd210f1a7f902193214c0ee91dd35ee5b4d920cba8d519eca65a7b488ca60403392a2005b7f1f2a2005000000000000000000000000000000000000000000000000000000005f5260045ffd5b34610210576020366003190112610210575f61012060405161080f8161303c565b8281528260208201528260408201528260608201528260808201528260a08201528260c08201528260e08201528261010082015201526004355f52600360205260405f2060405161085f8161303c565b81546001600160a01b0381168252602082019060a01c815260018301549260408301936001600160a01b0381168552606084019064ffffffffff8160a01c1682526080850162ffffff8260c81c16815260a086019162ffffff8160e01c16835260f81c9260c0870193600681101561067a57845260028501549760e0880198895260038601549561010089019687526004015496610120890197885260405198516001600160a01b03168952516001600160601b03166020890152516001600160a01b031660408801525164ffffffffff1660608701525162ffffff1660808601525162ffffff1660a08501525193600685101561067a576101409460c08501525160e08401525161010083015251610120820152f35b34610210575f3660031901126102105760206040516102588152f35b346102105760203660031901126102105760043567ffffffffffffffff8111610210576109c3903690600401613142565b335f52600160205260405f20905f925f5b828110610a4c57505063ffffffff80835460c01c169116900363ffffffff8111610a3857815463ffffffff60c01b191660c09190911b63ffffffff60c01b1617905580610a1d57005b335f526002602052610a3460405f2091825461318e565b9055005b634e487b7160e01b5f52601160045260245ffd5b610a57818484613419565b94853590815f52600360205260405f20966001880180548060f81c600681101561067a5760028103610c1f5750336001600160a01b03821603610c0c5762ffffff9060c81c169060408301928262ffffff610ab186613429565b1611610be35793610bb1610b866001989795610b797fc0e79444b3464b92aa787dada040d824a942f0bd8aaccd6ee6a5903bb9ad244d968f610b6d9781602060049d610b38610b73955460a01c94600360f81b6001600160f81b03825416178155610b1b8a613429565b62ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b01359c8d910155610b5662ffffff610b4f87613429565b168261321e565b98899362ffffff610b6688613429565b1690613181565b9061321e565b9561318e565b9d84610bba575b50613429565b916040519384933398859094939262ffffff6060936080840197845216602083015260408201520152565b0390a3016109d4565b6001600160a01b039054165f52600260205260405f20610bdb85825461318e565b90558e610b80565b8262ffffff87610bf287613429565b90638ec62d1360e01b5f526004521660245260445260645ffd5b84630324e5e760e01b5f5260045260245ffd5b610675908663a5d15e1f60e01b5f52600452613173565b610c3f366130eb565b9091335f52600160205260405f2060ff815460e01c16610fba577f0000000000000000000000000000000000000000000000000000000000000000803410610fa457506001600160601b033411610f5f5780546bffffffffffffffffffffffff1916346001600160601b03161780825560e81c15610e69575b805460ff60e01b19167c01000000000000000000000000000000000000000000000000000000001781556001019267ffffffffffffffff8111610e5557610cff8454612fe7565b601f8111610e10575b505f93601f8211600114610d8e57817f0ae1052dd868af520306e22d8ca5530741ba781eb44d3dcc2c88d5b728282d4c94955f91610d83575b508260011b905f198460031b1c19161790555b610486610d74604051938493348552606060208601526060850191613251565b828103604084015233956132a3565b905083013586610d41565b601f19821694815f5260205f20905f5b878110610df85750837f0ae1052dd868af520306e22d8ca5530741ba781eb44d3dcc2c88d5b728282d4c969710610ddf575b5050600182811b019055610d54565b8401355f19600385901b60f8161c191690558580610dd0565b90916020600181928589013581550193019101610d9e565b845f5260205f20601f830160051c81019160208410610e4b575b601f0160051c01905b818110610e405750610d08565b5f8155600101610e33565b9091508190610e2a565b634e487b7160e01b5f52604160045260245ffd5b6007549063ffffffff821663ffffffff8114610a38576001019163ffffffff8316809163ffffffff19161760075562ffffff8111610f1a576001927cffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7fffffff000000000000000000000000000000000000000000000000000000000084549260e81b1691161782555f52600660205260405f206001600160a01b0333166001600160a01b03198254161790559050610cb8565b6064604051639656661b60e01b815260206004820152601760248201527f6e6f2070726f7669646572206e756d626572206c6566740000000000000000006044820152fd5b6064604051639656661b60e01b815260206004820152601460248201527f7374616b652061626f766520325e3936207765690000000000000000000000006044820152fd5b63829f116360e01b5f523460045260245260445ffd5b7f45ed80e9000000000000000000000000000000000000000000000000000000005f523360045260245ffd5b346102105760203660031901126102105760043567ffffffffffffffff811161021057611017903690600401613142565b90611023828233613398565b335f52600860205260405f20815f5260205260405f205461104384613401565b906110516040519283613059565b84825261105d85613401565b602083019290601f19013684375f5b8681106111ad57508115928315611149575b50505061110f57335f52600860205260405f20905f526020525f6040812055335f52600160205260405f205460e81c5f5b8381106110f257837fea5f3ac901267f4c258b587dde01c542de70c291989bd9d3bba9eaf761fb6634610486856040519182916020835233956020840191613343565b80611109836111046001948888613419565b6138d2565b016110af565b509061114357505f5b7fb658eb5b000000000000000000000000000000000000000000000000000000005f5260045260245ffd5b35611118565b91925060405190816020810193604082019260208652518093526060820190925f5b818110611194575050611187925003601f198101835282613059565b519020141584808061107e565b845183526020948501948694509092019160010161116b565b6111b8818888613419565b359082518110156111d65760019160208260051b850101520161106c565b634e487b7160e01b5f52603260045260245ffd5b34610210576101403660031901126102105760243567ffffffffffffffff81116102105761121c9036906004016130bd565b90600260443510156102105760643567ffffffffffffffff81116102105761124890369060040161308c565b929060843567ffffffffffffffff81116102105761126a90369060040161308c565b929060a4359062ffffff821682036102105760c4356001600160601b03811681036102105760e4359164ffffffffff8316830361021057610104359660ff8816880361021057610124359660ff8816880361021057600260ff8a1610801561188e575b61184957607f8960011c1660ff89161180159061183a575b6117cf5762ffffff86161561178a5760043515611745574264ffffffffff861611156117275761132f60ff8a1661132a6001600160601b03871662ffffff8a1661321e565b61321e565b335f52600260205260405f20548082116116f9579061134d91613181565b335f52600260205260405f20555f54611365906138c4565b9a8b9a8b5f55868c6040516020810190808d898b898b604435611389958c8a6134a5565b03601f198101825261139b9082613059565b51902060ff8e16600110156116f2576001915b8b8a6114ed62ffffff604051976113c48961303c565b3389526001600160601b0360208a019416845260408901945f865264ffffffffff60608b01921682528260808b019116815260a08a01915f835260c08b01956001875260e08c01986004358a526101008d019a8b526101208d019b8c525f5260036020526001600160a01b038060405f209d5116166001600160a01b03198d5416178c55516001600160a01b036001600160a01b03198d549260a01b169116178b556001600160a01b038060018d01985116166001600160a01b031988541617875551907fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff64ffffffffff60a01b62ffffff60c81b8954935160c81b169360a01b169116171785555116839062ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b51600681101561067a57611500916131ab565b516002840155516003830155519060040155604051986004358a5260208a0161010090526101008a019061153392613251565b9061154360408a01604435613439565b88820360608a0152611554926133dd565b90868203608088015261156692613446565b9262ffffff1660a08501526001600160601b031660c084015264ffffffffff1660e083015284823392037fe469f0c46ce3a86261cdb557c9215b97990f5256f7f2763b2faf045f854e8799905f94a46040516115c18161301f565b60ff831681526020810160ff8316815260408201905f825260608301915f835260808401905f825260a08501905f825260c08601925f845260e08701945f86528a5f52600460205260405f20975160ff16968854915160081b61ff0016935160101b62ff000016905160181b63ff00000016925160201b64ff0000000016945160281b65ff000000000016955160301b60ff60301b16965160381b670100000000000000600160f81b03169760ff60301b199465ff0000000000199364ff00000000199263ff000000199162ffffff1916171617161716171617670100000000000000600160f81b03191617171790556040519160ff16825260ff16602082015260407fdb1983944aa516c0ce0a88f91fc0e6aaab549c9ce4add7b01e49358498f25cf791a2604051908152602090f35b5f916113ae565b7fc0710ec8000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b64ffffffffff8563041f95d160e51b5f525f6004521660245260445ffd5b6064604051639656661b60e01b815260206004820152600d60248201527f6e6f2061707020646967657374000000000000000000000000000000000000006044820152fd5b6064604051639656661b60e01b815260206004820152600860248201527f6e6f207461736b730000000000000000000000000000000000000000000000006044820152fd5b6084604051639656661b60e01b815260206004820152602a60248201527f71756f72756d206d757374206265206d6f7265207468616e2068616c6620746860448201527f65207265706c69636173000000000000000000000000000000000000000000006064820152fd5b5060ff891660ff8916116112e5565b6064604051639656661b60e01b815260206004820152601760248201527f7265706c69636173206d757374206265203220746f20360000000000000000006044820152fd5b50600660ff8a16116112cd565b34610210575f36600319011261021057602060405160018152f35b3461021057610120366003190112610210576118d0612fd1565b60443567ffffffffffffffff8111610210576118f09036906004016130bd565b9091600260643510156102105760843567ffffffffffffffff81116102105761191d90369060040161308c565b93909160a43567ffffffffffffffff81116102105761194090369060040161308c565b60c435949162ffffff861686036102105760e435916001600160601b038316830361021057610104359364ffffffffff851685036102105762ffffff88161561178a5760243515611745574264ffffffffff86161115611727576119b26001600160601b03851662ffffff8a1661321e565b80158180046001141715610a3857335f52600260205260405f20548082116116f957906119de91613181565b335f52600260205260405f20556119f55f546138c4565b998a5f558982611a1a8a6101f78789876040519687956020870199606435918b6134a5565b5190209760405198611a2b8a61303c565b338a526001600160601b03871660208b01526001600160a01b03891660408b015264ffffffffff881660608b015262ffffff8b1660808b01525f60a08b0152600160c08b015260243560e08b01526101008a01525f6101208a01528b5f52600360205260405f206001600160a01b03808b5116166001600160a01b031982541617815560208a01516001600160a01b036001600160a01b031983549260a01b1691161781556001600160a01b038060408c015116166001600160a01b031960018301541617600182015560608a01518a7fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff64ffffffffff60a01b62ffffff60c81b6080600187015494015160c81b169360a01b16911617176001820155611b7762ffffff60a08c015116600183019062ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b60c08a01519960068b101561067a578d9a611b9590600184016131ab565b60e081015160028301556101008101516003830155610120015190600401556040519a6024358c5260208c0161010090526101008c0190611bd592613251565b90611be560408c01606435613439565b8a820360608c0152611bf6926133dd565b9088820360808a0152611c0892613446565b9462ffffff1660a08701526001600160601b031660c086015264ffffffffff1660e08501526001600160a01b031692803393037fe469f0c46ce3a86261cdb557c9215b97990f5256f7f2763b2faf045f854e879991a4604051908152602090f35b346102105760203660031901126102105760043567ffffffffffffffff811161021057611c9a90369060040161308c565b90335f52600160205260405f20805460ff8160e01c16156102e3576001600160601b038160601c16905f5b858110611d9a57857f9741bf52a2ff281a102b7ba4b0a787432cd4e606ccbd6bf8ad5df9eb302d3bd661048687611d84886001600160601b0389611d3c611d1c63ffffffff8a1663ffffffff865460c01c166131ec565b845463ffffffff60c01b191660c09190911b63ffffffff60c01b16178455565b82547fffffffffffffffff000000000000000000000000ffffffffffffffffffffffff16911660601b77ffffffffffffffffffffffff00000000000000000000000016179055565b60405191829160208352339560208401916133dd565b9092611da782878761319b565b3595865f52600360205260405f2095875f52600460205260405f209460ff60405196611dd28861301f565b548181168852818160081c166020890152818160101c166040890152818160181c166060890152818160201c166080890152818160281c1660a0890152818160301c1660c08901526001600160c01b038160381c1660e089015216156120d45760018801548060f81c600681101561067a57600181036120bd575064ffffffffff8160a01c1661025842014211610a385761025842018111156120a75750611e879062ffffff8a5460a01c9160c81c1661321e565b90806001600160601b038916115f146120a157611ead816001600160601b038a16613181565b82811061208a575090611ebf9161318e565b925f5b60ff604088015116811015611f3c576001600160c01b0360e0880151166001600160fb1b0382168203610a385763ffffffff8960e81c918360051b1c1614611f0c57600101611ec2565b897f682bdbac000000000000000000000000000000000000000000000000000000005f526004523360245260445ffd5b50604086015192989197909693959394929390916001600160c01b03600195611fe08860e81c9160051b161b166001600160c01b0360e0840151161760e083015260ff611f8e816040850151166133cc565b1660408301525f52600460205260ff60405f20918181511692805461ff00602084015160081b1692604081015193670100000000000000600160f81b031963ff000000606084015160181b169164ff00000000608085015160201b169065ff000000000060a086015160281b1693670100000000000000600160f81b0360e060ff60301b60c089015160301b1697015160381b16968b60ff60301b199365ff0000000000199264ff00000000199263ff000000199162ffffff19161716171662ff00008b60101b161716171617161717179055161461206f575b5001611cc5565b820180546001600160f81b0316600160f91b17905587612068565b905063829f116360e01b5f5260045260245260445ffd5b5f611ead565b8a63041f95d160e51b5f5260045260245260445ffd5b610675908b63a5d15e1f60e01b5f52600452613173565b8863de507b1b60e01b5f5260045260245ffd5b34610210575f36600319011261021057602063ffffffff60075416604051908152f35b34610210575f366003190112610210576020600554604051908152f35b34610210576020366003190112610210576001600160a01b03612148612fd1565b165f526002602052602060405f2054604051908152f35b34610210576040366003190112610210576001600160a01b03612180612fd1565b165f52600860205260405f206024355f52602052602060405f2054604051908152f35b34610210576040366003190112610210576121bc612fd1565b60243567ffffffffffffffff8111610210576020916121e26121e8923690600401613142565b91613398565b604051908152f35b34610210576121fe366130eb565b9091335f52600160205260405f2060ff815460e01c16156102e3576001019267ffffffffffffffff8111610e55576122368454612fe7565b601f8111612341575b505f93601f82116001146122bf57817fb61cbf7f51d2d2f6df39246fbd7af7e3232bf916a2f9ba15948fc2089865722594955f916122b4575b508260011b905f198460031b1c19161790555b6104866122a5604051938493604085526040850191613251565b828103602084015233956132a3565b905083013586612278565b601f19821694815f5260205f20905f5b8781106123295750837fb61cbf7f51d2d2f6df39246fbd7af7e3232bf916a2f9ba15948fc20898657225969710612310575b5050600182811b01905561228b565b8401355f19600385901b60f8161c191690558580612301565b909160206001819285890135815501930191016122cf565b845f5260205f20601f830160051c8101916020841061237c575b601f0160051c01905b818110612371575061223f565b5f8155600101612364565b909150819061235b565b34610210575f3660031901126102105760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346102105760203660031901126102105760043580156107c657335f52600260205260405f20548082116124b5575f8083612414818561240285988698613181565b33865260026020526040862055613181565b6040519082825260208201527f92ccf450a286a957af52509bc1c9939d1a6a481783e142e41e2499f0bb66ebc660403392a2335af13d156124b0573d67ffffffffffffffff8111610e555760405190612477601f8201601f191660200183613059565b81525f60203d92013e5b1561248857005b7f90b8ec18000000000000000000000000000000000000000000000000000000005f5260045ffd5b612481565b7fcf479181000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b3461021057602036600319011261021057600435805f52600360205260405f20815f52600460205260405f20916001600160a01b0382541633811415908161284d575b5061283b57600182019081548060f81c906006821015918261067a5760018114158061282d575b6128165764ffffffffff8260a01c168042106127e7575086546001939060ff161561275057505050508154908160f81c600681101561067a576002811461273a57506125ad60ff86959654169262ffffff875460a01c9160c81c1661321e565b6001600160601b0316945f5b855460ff8160101c1682101561269357906001600160a01b036125ea826001600160c01b0360019560381c16613886565b165f528160205261268d60405f2061262e61260e63ffffffff835460c01c16613206565b825463ffffffff60c01b191660c09190911b63ffffffff60c01b16178255565b6126458a6001600160601b03835460601c16613231565b7fffffffffffffffff000000000000000000000000ffffffffffffffffffffffff77ffffffffffffffffffffffff00000000000000000000000083549260601b169116179055565b016125b9565b505060209295506001600160a01b038092955061271562ffffff7feca1263435904f38d1b4ea6e9e2a4b6e20b36eea473d0c434e9e06b43869bda2965b7f04000000000000000000000000000000000000000000000000000000000000006001600160f81b038254161781555460c81c169761132a8454998a60a01c9061321e565b96165f526002835260405f2061272c87825461318e565b9055541693604051908152a3005b6106759163a5d15e1f60e01b5f52600452613173565b909296509490929461067a576001600160a01b0361271562ffffff7feca1263435904f38d1b4ea6e9e2a4b6e20b36eea473d0c434e9e06b43869bda29660209660028597146127a0575b506126d0565b84165f52600187526127e160405f206127c263ffffffff825460c01c16613206565b63ffffffff60c01b1963ffffffff60c01b83549260c01b169116179055565b8a61279a565b847f408b57fb000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b610675908463a5d15e1f60e01b5f52600452613173565b505f9250600281141561254d565b630324e5e760e01b5f5260045260245ffd5b845460ff161591508115612863575b5084612526565b9050158461285c565b346102105760203660031901126102105760043567ffffffffffffffff81116102105761289d90369060040161308c565b90335f52600160205260405f209060ff825460e01c16156102e35733905f5b8481106128e3576128e1846127c263ffffffff881663ffffffff835460c01c166131ec565b005b6128ee81868461319b565b35805f526003602052600160405f200180548060f81c600681101561067a576001810361281657506001600160a01b03811680151590816129fe575b506129eb5760a01c64ffffffffff16428111156129d55750815f52600460205260ff60405f2054166129be5780546001600160f81b0386167effffffffffffffffffffff000000000000000000000000000000000000000090911617600160f91b1790556001919033907fa3a9d59445e437d97cac53692b666afef6c152b0642edd206bde8472f387e59a5f80a3016128bc565b506319dc5ff760e21b5f526004525f60245260445ffd5b8263041f95d160e51b5f5260045260245260445ffd5b82630324e5e760e01b5f5260045260245ffd5b90503314158961292a565b34610210575f3660031901126102105760205f54604051908152f35b34610210575f366003190112610210576020604051610e108152f35b346102105760203660031901126102105760043563ffffffff8116809103610210575f52600660205260206001600160a01b0360405f205416604051908152f35b34610210576020366003190112610210576001600160a01b03612aa3612fd1565b165f52600160205260405f2060018154910190604051905f92805490612ac882612fe7565b9081855260208501926001811690815f14612ba25750600114612b68575b5050612af78360e094950385613059565b60405193826001600160601b0386941684526001600160601b038160601c16602085015263ffffffff8160c01c16604085015260ff81861c161515606085015260e81c608084015260c060a08401525180918160c08501528484015e5f828201840152601f01601f19168101030190f35b9094505f5260205f205f905b858210612b8c575083016020019350612af783612ae6565b6001816020925483858901015201910190612b74565b60ff191684525050151560051b83016020019350612af783612ae6565b3461021057602036600319011261021057600435805f52600360205260405f20815f52600460205260405f20612bf48461301f565b549060ff821690818552602085019360ff8460081c168552604086019060ff8560101c168252606087019560ff8660181c168752608088019160ff8760201c16835260a089019460ff8860281c16865260c08a019660ff8960301c1688526001600160c01b0360e08c019960381c16895215612fbe57600160ff8b51161b5f198101908111610a3857600182019081548060f81c906006821015918261067a57600281149384159081612f96575b50612f7f575064ffffffffff9060a01c16610e108101809111610a385780421115612f50575061067a5715612d9057508982612cdd92613689565b5f52600460205260405f20975160ff16968854915160081b61ff0016935160101b62ff000016905160181b63ff00000016925160201b64ff0000000016945160281b65ff000000000016955160301b60ff60301b16965160381b670100000000000000600160f81b03169760ff60301b199465ff0000000000199364ff00000000199263ff000000199162ffffff1916171617161716171617670100000000000000600160f81b03191617171790555f80f35b969799935f99939996929591965b60ff865116811015612f3e578060018d921b60ff808216918d51161615612dcb575b506001915001612d9e565b612dea6001600160c01b036020945116612de48361401c565b90613886565b612e028c62ffffff8d5460a01c915460c81c1661321e565b908a7f7cd5c31f23d0ddc57261e92db55f5fc8f6c5ace72bf7d8c8ba9f602a8da96cd36001600160a01b03849316968793845f526001825260405f206001600160601b03815416808811612f36575b612e666001600160601b039182851690613231565b166001600160601b0319825416179055612e828160055461318e565b600555604051908152a380600194612efd928d81612f0c575b50505f52846020526126456001600160601b0360405f2092612ee9612ec963ffffffff865460c01c16613206565b855463ffffffff60c01b191660c09190911b63ffffffff60c01b16178555565b166001600160601b03835460601c16613231565b60ff8c5116178b528c91612dc0565b6001600160a01b039054165f526002602052612f2d60405f2091825461318e565b90555f8d612e9b565b915081612e51565b50939997965093909450969096612cdd565b857fafc7dc70000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b610675908763a5d15e1f60e01b5f52600452613173565b5f94506003831480159250612fad575b505f612ca2565b60ff91501660ff8d5116145f612fa6565b5063de507b1b60e01b5f5260045260245ffd5b600435906001600160a01b038216820361021057565b90600182811c92168015613015575b602083101461300157565b634e487b7160e01b5f52602260045260245ffd5b91607f1691612ff6565b610100810190811067ffffffffffffffff821117610e5557604052565b610140810190811067ffffffffffffffff821117610e5557604052565b90601f8019910116810190811067ffffffffffffffff821117610e5557604052565b359063ffffffff8216820361021057565b9181601f840112156102105782359167ffffffffffffffff8311610210576020808501948460051b01011161021057565b9181601f840112156102105782359167ffffffffffffffff8311610210576020838186019501011161021057565b60406003198201126102105760043567ffffffffffffffff81116102105781613116916004016130bd565b929092916024359067ffffffffffffffff82116102105760c09082900360031901126102105760040190565b9181601f840112156102105782359167ffffffffffffffff8311610210576020808501946060850201011161021057565b600681101561067a57602452565b91908203918211610a3857565b91908201809211610a3857565b91908110156111d65760051b0190565b90600681101561067a576001600160f81b037fff0000000000000000000000000000000000000000000000000000000000000083549260f81b169116179055565b9063ffffffff8091169116019063ffffffff8211610a3857565b63ffffffff5f199116019063ffffffff8211610a3857565b81810292918115918404141715610a3857565b906001600160601b03809116911603906001600160601b038211610a3857565b908060209392818452848401375f828201840152601f01601f1916010190565b9035601e198236030181121561021057016020813591019167ffffffffffffffff821161021057813603831361021057565b63ffffffff6132b18261307b565b16825263ffffffff6132c56020830161307b565b16602083015260408101359167ffffffffffffffff83168093036102105761334092604082015263ffffffff6132fd6060840161307b565b1660608201526133326133276133166080850185613271565b60c0608086015260c0850191613251565b9260a0810190613271565b9160a0818503910152613251565b90565b916020908281520191905f905b80821061335d5750505090565b909192833581526020840135602082015260408401359062ffffff821680920361021057606081600193604083940152019401920190613350565b916133c6906101f76040519384926001600160a01b0360208501971687526040808501526060840191613343565b51902090565b60ff1660ff8114610a385760010190565b90918281526001600160fb1b0383116102105760209260051b809284830137010190565b67ffffffffffffffff8111610e555760051b60200190565b91908110156111d6576060020190565b3562ffffff811681036102105790565b90600282101561067a5752565b90602083828152019260208260051b82010193835f925b84841061346d5750505050505090565b909192939495602080613495600193601f1986820301885261348f8b88613271565b90613251565b980194019401929493919061345d565b95936134d16134c66133409997936134de969560808b5260808b0191613251565b936020890190613439565b86830360408801526133dd565b926060818503910152613446565b9394929190945f61350d6001600160c01b0360e085015116612de48661401c565b96865460a01c91600188019161352c8462ffffff855460c81c1661321e565b94156135e4575050916001600160a01b036135576135b39362ffffff60c097965460e01c169061321e565b988181165f52600260205260405f206135718b825461318e565b90555b61357e8a84613181565b98896135c2575b50165f5260016020526126456001600160601b0360405f2092612ee9612ec963ffffffff86548a1c16613206565b019060ff808351169116179052565b829054165f52600260205260405f206135dc8a825461318e565b90555f613585565b6135b39350849250986001600160a01b03919960c09695907f7cd5c31f23d0ddc57261e92db55f5fc8f6c5ace72bf7d8c8ba9f602a8da96cd3602085851693845f526001825260405f206001600160601b03815416808a11613681575b6136566001600160601b039182851690613231565b166001600160601b03198254161790556136728160055461318e565b600555604051908152a3613574565b915081613641565b6001810180546001600160f81b03167f050000000000000000000000000000000000000000000000000000000000000017815592939290915f90815b60ff875116831015613851576001831b9060ff821660c089019260ff81855116166138455760ff9060808b0151161615916137106001600160c01b0360e08c015116612de48461401c565b93613728895460a01c62ffffff8a5460c81c1661321e565b936137af575b8392613777613784956001600160a01b036001988d8861378d575b50165f52876020526126456001600160601b0360405f2092612ee9612ec963ffffffff865460c01c16613206565b60ff82511617905261318e565b925b01916136c5565b829054165f52600260205260405f206137a789825461318e565b90558d613749565b83867f7cd5c31f23d0ddc57261e92db55f5fc8f6c5ace72bf7d8c8ba9f602a8da96cd360206001600160a01b03891693845f526001825260405f206001600160601b03815416808b1161383d575b6138126001600160601b039182851690613231565b166001600160601b031982541617905561382e8160055461318e565b600555604051908152a361372e565b9150816137fd565b50509260019150613786565b91509394507f054d14d6b7cbf46ec1175b3f5544634a57e42fb2d5a022c774bcabc26c128bb0925060209150604051908152a2565b906001600160fb1b0381168103610a38576001600160c01b0363ffffffff92169060051b1c165f5260066020526001600160a01b0360405f20541690565b5f198114610a385760010190565b9081355f52600360205260405f20600181015483355f52600460205261396b60405f20936001600160c01b036040519561390b8761301f565b5460ff8116875260ff8160081c16602088015260ff8160101c16604088015260ff8160181c16606088015260ff8160201c16608088015260ff8160281c1660a088015260ff8160301c1660c088015260381c1660e0860152848635613f93565b60068260f81c10158061067a5760028360f81c141580613f83575b8015613f71575b613f6957600160ff8651161b92835f19810111610a385760ff60608701511660ff5f1986011681141580613f55575b613f10575062ffffff6139d160408901613429565b818360c81c169182911611613ee4575060ff6080870151169160ff84168317608088015261067a5760038160f81c14613db05750613c465760208501356004840155613a44613a2260408701613429565b600185019062ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b60ff811660a0850152905b613a5882614044565b602085015160ff908116911610613c1257506001820180546001600160f81b0316600360f81b1790555f918291825b60ff865116841015613ae8576001841b60ff816080890151161615613add57600191613acd613ac78360ff80613ad396891616151591168b8d358a6134ec565b9261318e565b9661318e565b935b019293613a87565b509392600190613ad5565b60048301546001909301546040805194855260e09190911c62ffffff166020850152830152506060810192909252509091905f908235907fc0e79444b3464b92aa787dada040d824a942f0bd8aaccd6ee6a5903bb9ad244d90608090a35b355f52600460205260405f209060ff815116908254670100000000000000600160f81b031961ff00602084015160081b169162ff0000604085015160101b169263ff000000606086015160181b1664ff00000000608087015160201b169265ff000000000060a088015160281b1695670100000000000000600160f81b0360e060ff60301b60c08b015160301b1699015160381b169860ff60301b199465ff0000000000199364ff00000000199263ff000000199162ffffff1916171617161716171617161717179055565b839493915060ff905f19011660ff60808301511614613c33575b5050613b46565b613c3f91833590613689565b5f82613c2c565b600483015460208601351480613d8d575b15613c745760ff1660ff60a085015116178060a085015290613a4f565b94909391613c8460408401613429565b60405162ffffff60208201926020870135845216604082015260408152613cac606082613059565b51902091613cb98761401c565b84355f52600960205260405f20905f526020528260405f20558694608081015160ff60a0830151161916925f5b60ff835116811015613d4357891985166001821b1660ff16151580613d23575b613d13575b600101613ce6565b6001811b60ff1690971796613d0b565b5086355f52600960205260405f20815f526020528560405f205414613d06565b50949692509492509550613d5682614044565b60ff80602087015116911610613a4f5760208501356004840155613d7f613a2260408701613429565b60ff821660a0850152613a4f565b50613d9a60408601613429565b62ffffff80600186015460e01c16911614613c57565b92505083836004613ddc9597969701546020870135149384613ec1575b5083613eaa575b8535906134ec565b5050355f52600460205260405f209060ff815116908254670100000000000000600160f81b031961ff00602084015160081b169162ff0000604085015160101b169263ff000000606086015160181b1664ff00000000608087015160201b169265ff000000000060a088015160281b1695670100000000000000600160f81b0360e060ff60301b60c08b015160301b1699015160381b169860ff60301b199465ff0000000000199364ff00000000199263ff000000199162ffffff1916171617161716171617161717179055565b60ff831660ff60a0840151161760a0830152613dd4565b90935062ffffff80613ed560408901613429565b9260e01c16911614925f613dcd565b62ffffff88613ef560408201613429565b90638ec62d1360e01b5f52356004521660245260445260645ffd5b60ff8781613f1e8b94614044565b915116927f13ce15cc000000000000000000000000000000000000000000000000000000005f52356004521660245260445260645ffd5b5064ffffffffff8260a01c164211156139bc565b505050505050565b5060ff8260c08701511616151561398d565b50505f60038360f81c1415613986565b91905f5b60ff604083015116811015613fec576001600160c01b0360e0830151166001600160fb1b0382168203610a385763ffffffff84918360051b1c1614613fde57600101613f97565b6001901b60ff169392505050565b837fc3e8c85b000000000000000000000000000000000000000000000000000000005f526004523360245260445ffd5b905f915b600160ff82161161402e5750565b607f61403e9160011c16926138c4565b91614020565b905f915b60ff81166140535750565b9161405d906133cc565b915f1960ff8216019060ff8211610a38571661404856fea164736f6c634300081e000a",
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

// PackJOINMARGIN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd054e3fd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function JOIN_MARGIN() view returns(uint256)
func (hearthMarket *HearthMarket) PackJOINMARGIN() []byte {
	enc, err := hearthMarket.abi.Pack("JOIN_MARGIN")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackJOINMARGIN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd054e3fd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function JOIN_MARGIN() view returns(uint256)
func (hearthMarket *HearthMarket) TryPackJOINMARGIN() ([]byte, error) {
	return hearthMarket.abi.Pack("JOIN_MARGIN")
}

// UnpackJOINMARGIN is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd054e3fd.
//
// Solidity: function JOIN_MARGIN() view returns(uint256)
func (hearthMarket *HearthMarket) UnpackJOINMARGIN(data []byte) (*big.Int, error) {
	out, err := hearthMarket.abi.Unpack("JOIN_MARGIN", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
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

// PackUNREVEALED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf269b58.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function UNREVEALED() view returns(bytes32)
func (hearthMarket *HearthMarket) PackUNREVEALED() []byte {
	enc, err := hearthMarket.abi.Pack("UNREVEALED")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUNREVEALED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf269b58.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function UNREVEALED() view returns(bytes32)
func (hearthMarket *HearthMarket) TryPackUNREVEALED() ([]byte, error) {
	return hearthMarket.abi.Pack("UNREVEALED")
}

// UnpackUNREVEALED is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaf269b58.
//
// Solidity: function UNREVEALED() view returns(bytes32)
func (hearthMarket *HearthMarket) UnpackUNREVEALED(data []byte) ([32]byte, error) {
	out, err := hearthMarket.abi.Unpack("UNREVEALED", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
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
// the contract method with ID 0xd40779fd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commitResults(uint256[] ids, bytes32 seal) returns()
func (hearthMarket *HearthMarket) PackCommitResults(ids []*big.Int, seal [32]byte) []byte {
	enc, err := hearthMarket.abi.Pack("commitResults", ids, seal)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommitResults is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd40779fd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commitResults(uint256[] ids, bytes32 seal) returns()
func (hearthMarket *HearthMarket) TryPackCommitResults(ids []*big.Int, seal [32]byte) ([]byte, error) {
	return hearthMarket.abi.Pack("commitResults", ids, seal)
}

// PackCommittedIds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6f18dfc0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function committedIds(address , bytes32 ) view returns(bytes32)
func (hearthMarket *HearthMarket) PackCommittedIds(arg0 common.Address, arg1 [32]byte) []byte {
	enc, err := hearthMarket.abi.Pack("committedIds", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommittedIds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6f18dfc0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function committedIds(address , bytes32 ) view returns(bytes32)
func (hearthMarket *HearthMarket) TryPackCommittedIds(arg0 common.Address, arg1 [32]byte) ([]byte, error) {
	return hearthMarket.abi.Pack("committedIds", arg0, arg1)
}

// UnpackCommittedIds is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6f18dfc0.
//
// Solidity: function committedIds(address , bytes32 ) view returns(bytes32)
func (hearthMarket *HearthMarket) UnpackCommittedIds(data []byte) ([32]byte, error) {
	out, err := hearthMarket.abi.Unpack("committedIds", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
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

// PackProviderAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07883f4e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function providerAt(uint32 ) view returns(address)
func (hearthMarket *HearthMarket) PackProviderAt(arg0 uint32) []byte {
	enc, err := hearthMarket.abi.Pack("providerAt", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProviderAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07883f4e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function providerAt(uint32 ) view returns(address)
func (hearthMarket *HearthMarket) TryPackProviderAt(arg0 uint32) ([]byte, error) {
	return hearthMarket.abi.Pack("providerAt", arg0)
}

// UnpackProviderAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x07883f4e.
//
// Solidity: function providerAt(uint32 ) view returns(address)
func (hearthMarket *HearthMarket) UnpackProviderAt(data []byte) (common.Address, error) {
	out, err := hearthMarket.abi.Unpack("providerAt", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackProviderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x74c83268.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function providerCount() view returns(uint32)
func (hearthMarket *HearthMarket) PackProviderCount() []byte {
	enc, err := hearthMarket.abi.Pack("providerCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProviderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x74c83268.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function providerCount() view returns(uint32)
func (hearthMarket *HearthMarket) TryPackProviderCount() ([]byte, error) {
	return hearthMarket.abi.Pack("providerCount")
}

// UnpackProviderCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x74c83268.
//
// Solidity: function providerCount() view returns(uint32)
func (hearthMarket *HearthMarket) UnpackProviderCount(data []byte) (uint32, error) {
	out, err := hearthMarket.abi.Unpack("providerCount", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackProviders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0787bc27.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function providers(address ) view returns(uint96 stake, uint96 locked, uint32 openOrders, bool active, uint24 number, string endpoint)
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
// Solidity: function providers(address ) view returns(uint96 stake, uint96 locked, uint32 openOrders, bool active, uint24 number, string endpoint)
func (hearthMarket *HearthMarket) TryPackProviders(arg0 common.Address) ([]byte, error) {
	return hearthMarket.abi.Pack("providers", arg0)
}

// ProvidersOutput serves as a container for the return parameters of contract
// method Providers.
type ProvidersOutput struct {
	Stake      *big.Int
	Locked     *big.Int
	OpenOrders uint32
	Active     bool
	Number     *big.Int
	Endpoint   string
}

// UnpackProviders is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0787bc27.
//
// Solidity: function providers(address ) view returns(uint96 stake, uint96 locked, uint32 openOrders, bool active, uint24 number, string endpoint)
func (hearthMarket *HearthMarket) UnpackProviders(data []byte) (ProvidersOutput, error) {
	out, err := hearthMarket.abi.Unpack("providers", data)
	outstruct := new(ProvidersOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Stake = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Locked = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.OpenOrders = *abi.ConvertType(out[2], new(uint32)).(*uint32)
	outstruct.Active = *abi.ConvertType(out[3], new(bool)).(*bool)
	outstruct.Number = abi.ConvertType(out[4], new(big.Int)).(*big.Int)
	outstruct.Endpoint = *abi.ConvertType(out[5], new(string)).(*string)
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
// Solidity: function replication(uint256 ) view returns(uint8 replicas, uint8 quorum, uint8 joined, uint8 committed, uint8 revealed, uint8 agreeing, uint8 resolved, uint192 seats)
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
// Solidity: function replication(uint256 ) view returns(uint8 replicas, uint8 quorum, uint8 joined, uint8 committed, uint8 revealed, uint8 agreeing, uint8 resolved, uint192 seats)
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
	Agreeing  uint8
	Resolved  uint8
	Seats     *big.Int
}

// UnpackReplication is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe93b370d.
//
// Solidity: function replication(uint256 ) view returns(uint8 replicas, uint8 quorum, uint8 joined, uint8 committed, uint8 revealed, uint8 agreeing, uint8 resolved, uint192 seats)
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
	outstruct.Agreeing = *abi.ConvertType(out[5], new(uint8)).(*uint8)
	outstruct.Resolved = *abi.ConvertType(out[6], new(uint8)).(*uint8)
	outstruct.Seats = abi.ConvertType(out[7], new(big.Int)).(*big.Int)
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

// PackSealOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5fc1fe32.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function sealOf(address provider, (uint256,bytes32,uint24)[] batch) pure returns(bytes32)
func (hearthMarket *HearthMarket) PackSealOf(provider common.Address, batch []HearthMarketSettlement) []byte {
	enc, err := hearthMarket.abi.Pack("sealOf", provider, batch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSealOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5fc1fe32.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function sealOf(address provider, (uint256,bytes32,uint24)[] batch) pure returns(bytes32)
func (hearthMarket *HearthMarket) TryPackSealOf(provider common.Address, batch []HearthMarketSettlement) ([]byte, error) {
	return hearthMarket.abi.Pack("sealOf", provider, batch)
}

// UnpackSealOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5fc1fe32.
//
// Solidity: function sealOf(address provider, (uint256,bytes32,uint24)[] batch) pure returns(bytes32)
func (hearthMarket *HearthMarket) UnpackSealOf(data []byte) ([32]byte, error) {
	out, err := hearthMarket.abi.Unpack("sealOf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
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

// HearthMarketOrdersJoined represents a OrdersJoined event raised by the HearthMarket contract.
type HearthMarketOrdersJoined struct {
	Provider common.Address
	Ids      []*big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketOrdersJoinedEventName = "OrdersJoined"

// ContractEventName returns the user-defined event name.
func (HearthMarketOrdersJoined) ContractEventName() string {
	return HearthMarketOrdersJoinedEventName
}

// UnpackOrdersJoinedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrdersJoined(address indexed provider, uint256[] ids)
func (hearthMarket *HearthMarket) UnpackOrdersJoinedEvent(log *types.Log) (*HearthMarketOrdersJoined, error) {
	event := "OrdersJoined"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketOrdersJoined)
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

// HearthMarketResultsCommitted represents a ResultsCommitted event raised by the HearthMarket contract.
type HearthMarketResultsCommitted struct {
	Provider common.Address
	Seal     [32]byte
	Ids      []*big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketResultsCommittedEventName = "ResultsCommitted"

// ContractEventName returns the user-defined event name.
func (HearthMarketResultsCommitted) ContractEventName() string {
	return HearthMarketResultsCommittedEventName
}

// UnpackResultsCommittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ResultsCommitted(address indexed provider, bytes32 seal, uint256[] ids)
func (hearthMarket *HearthMarket) UnpackResultsCommittedEvent(log *types.Log) (*HearthMarketResultsCommitted, error) {
	event := "ResultsCommitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketResultsCommitted)
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

// HearthMarketResultsRevealed represents a ResultsRevealed event raised by the HearthMarket contract.
type HearthMarketResultsRevealed struct {
	Provider common.Address
	Batch    []HearthMarketSettlement
	Raw      *types.Log // Blockchain specific contextual infos
}

const HearthMarketResultsRevealedEventName = "ResultsRevealed"

// ContractEventName returns the user-defined event name.
func (HearthMarketResultsRevealed) ContractEventName() string {
	return HearthMarketResultsRevealedEventName
}

// UnpackResultsRevealedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ResultsRevealed(address indexed provider, (uint256,bytes32,uint24)[] batch)
func (hearthMarket *HearthMarket) UnpackResultsRevealedEvent(log *types.Log) (*HearthMarketResultsRevealed, error) {
	event := "ResultsRevealed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != hearthMarket.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(HearthMarketResultsRevealed)
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
