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
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"minStake_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"BadOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlineNotPassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"DeadlinePassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientEscrow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"NotYourOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"openOrders\",\"type\":\"uint32\"}],\"name\":\"ProviderBusy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"min\",\"type\":\"uint256\"}],\"name\":\"StakeTooLow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"tasksDone\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"tasks\",\"type\":\"uint256\"}],\"name\":\"TooManyTasksDone\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"enumHearthMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"WrongStatus\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"OrderAccepted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"indexed\":false,\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"indexed\":false,\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"indexed\":false,\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"indexed\":false,\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"}],\"name\":\"OrderPosted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderReclaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"OrderSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"ProviderExited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"ProviderRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"ProviderUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"acceptOrders\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getOrder\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"},{\"internalType\":\"enumHearthMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"specHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structHearthMarket.Order\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minStake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"orderCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"appDigest\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"},{\"internalType\":\"uint24\",\"name\":\"tasks\",\"type\":\"uint24\"},{\"internalType\":\"uint96\",\"name\":\"pricePerTask\",\"type\":\"uint96\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"}],\"name\":\"postOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"providers\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"stake\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"since\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"openOrders\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"reclaim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"resultRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint24\",\"name\":\"tasksDone\",\"type\":\"uint24\"}],\"internalType\":\"structHearthMarket.Settlement[]\",\"name\":\"batch\",\"type\":\"tuple[]\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"appURI\",\"type\":\"string\"},{\"internalType\":\"enumHearthMarket.Runtime\",\"name\":\"runtime\",\"type\":\"uint8\"},{\"internalType\":\"bytes32[]\",\"name\":\"inputs\",\"type\":\"bytes32[]\"},{\"internalType\":\"string[]\",\"name\":\"args\",\"type\":\"string[]\"}],\"name\":\"specHashOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"endpoint\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint32\",\"name\":\"devices\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"cores\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"memoryMiB\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"wattBudget\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"runtimes\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"platforms\",\"type\":\"string\"}],\"internalType\":\"structHearthMarket.PoolInfo\",\"name\":\"info\",\"type\":\"tuple\"}],\"name\":\"updateProvider\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "HearthMarket",
	Bin: "0x60a034605e57601f611ba138819003918201601f19168301916001600160401b03831184841017606257808492602094604052833981010312605e5751608052604051611b2a908161007782396080518181816107ee015261116e0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f3560e01c9081630787bc271461165f575080632453ffa81461164357806327a350ca146114805780632dabbeed146112b45780632e1a7d4d14611191578063375b3c0a1461115757806353d6b5e614610fc157806370a0823114610f895780639d563dbf14610a74578063c5ba23c5146107c9578063cba96216146104e3578063d09ef24114610342578063d0e30db0146102b1578063e9fad8ee1461017a5763fe5347d0146100c1575f80fd5b346101765760803660031901126101765760043567ffffffffffffffff8111610176576100f290369060040161185a565b9060243560028110156101765760443567ffffffffffffffff81116101765761011f903690600401611829565b9360643567ffffffffffffffff81116101765760209561016b9361014a61015d933690600401611829565b9290916040519788968b88019a8b611ac6565b03601f198101835282611807565b519020604051908152f35b5f80fd5b34610176575f36600319011261017657335f52600160205260405f2080549060ff8260e01c16156102855763ffffffff8260c01c168061025a57507fffffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffff6fffffffffffffffffffffffffffffffff8316921681557fffffffffffffffffffffffffffffffff000000000000000000000000000000008154169055335f52600260205260405f2061022a828254611900565b90556040519081527f86628a11e30e454ef156adae4d70764ab552ed8e3ed2fbd07ea14d6cca76781260203392a2005b7f3c9c228e000000000000000000000000000000000000000000000000000000005f5260045260245ffd5b7f1bd2224f000000000000000000000000000000000000000000000000000000005f523360045260245ffd5b5f36600319011261017657341561031a57335f5260026020526102d83460405f2054611900565b335f5260026020528060405f20556040519034825260208201527f73a19dd210f1a7f902193214c0ee91dd35ee5b4d920cba8d519eca65a7b488ca60403392a2005b7f1f2a2005000000000000000000000000000000000000000000000000000000005f5260045ffd5b34610176576020366003190112610176575f610120604051610363816117ea565b8281528260208201528260408201528260608201528260808201528260a08201528260c08201528260e08201528261010082015201526004355f52600360205260405f206040516103b3816117ea565b81546001600160a01b0381168252602082019060a01c815260018301549260408301936001600160a01b0381168552606084019064ffffffffff8160a01c1682526080850162ffffff8260c81c16815260a086019162ffffff8160e01c16835260f81c9260c087019360058110156104cf57845260028501549760e0880198895260038601549561010089019687526004015496610120890197885260405198516001600160a01b03168952516bffffffffffffffffffffffff166020890152516001600160a01b031660408801525164ffffffffff1660608701525162ffffff1660808601525162ffffff1660a0850152519360058510156104cf576101409460c08501525160e08401525161010083015251610120820152f35b634e487b7160e01b5f52602160045260245ffd5b346101765760203660031901126101765760043567ffffffffffffffff8111610176573660238201121561017657806004013567ffffffffffffffff811161017657366024606083028401011161017657335f52600160205260405f20915f925f5b838110156107575760608102830194602486013590815f52600360205260405f20966001880180548060f81c60058110156104cf576002810361073b5750336001600160a01b038216036107285762ffffff9060c81c169060648301928262ffffff6105b086611b0d565b16116106e65761067b600197969461066e600497956106688f9687604462ffffff986106336106629b5460a01c947f03000000000000000000000000000000000000000000000000000000000000006001600160f81b038254161781556106168a611b0d565b62ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b01359b8c91015561064e8761064787611b0d565b16826118ed565b9788938861065b88611b0d565b169061190d565b906118ed565b96611900565b9c856106bd575b50611b0d565b604051958652166020850152604084015260608301527fc0e79444b3464b92aa787dada040d824a942f0bd8aaccd6ee6a5903bb9ad244d60803393a301610545565b6001600160a01b039054165f52600260205260405f206106de868254611900565b90558d610675565b8262ffffff876106f587611b0d565b907f8ec62d13000000000000000000000000000000000000000000000000000000005f526004521660245260445260645ffd5b84630324e5e760e01b5f5260045260245ffd5b610752908663a5d15e1f60e01b5f526004526118df565b60445ffd5b84828563ffffffff80835460c01c169116900363ffffffff81116107b557815463ffffffff60c01b191660c09190911b63ffffffff60c01b161790558061079a57005b335f5260026020526107b160405f20918254611900565b9055005b634e487b7160e01b5f52601160045260245ffd5b6107d236611888565b9091335f52600160205260405f2060ff815460e01c16610a48577f0000000000000000000000000000000000000000000000000000000000000000803410610a19575080547fffffff00ffffffff00000000000000000000000000000000000000000000000016346fffffffffffffffffffffffffffffffff16174260801b77ffffffffffffffff0000000000000000000000000000000016177c01000000000000000000000000000000000000000000000000000000001781556001019267ffffffffffffffff8111610a05576108aa84546117b2565b601f81116109c0575b505f93601f821160011461093e57817f0ae1052dd868af520306e22d8ca5530741ba781eb44d3dcc2c88d5b728282d4c94955f91610933575b508260011b905f198460031b1c19161790555b61092e61091f60405193849334855260606020860152606085019161191a565b8281036040840152339561197d565b0390a2005b9050830135866108ec565b601f19821694815f5260205f20905f5b8781106109a85750837f0ae1052dd868af520306e22d8ca5530741ba781eb44d3dcc2c88d5b728282d4c96971061098f575b5050600182811b0190556108ff565b8401355f19600385901b60f8161c191690558580610980565b9091602060018192858901358155019301910161094e565b845f5260205f20601f830160051c810191602084106109fb575b601f0160051c01905b8181106109f057506108b3565b5f81556001016109e3565b90915081906109da565b634e487b7160e01b5f52604160045260245ffd5b7f829f1163000000000000000000000000000000000000000000000000000000005f523460045260245260445ffd5b7f45ed80e9000000000000000000000000000000000000000000000000000000005f523360045260245ffd5b346101765761012036600319011261017657610a8e61179c565b60443567ffffffffffffffff811161017657610aae90369060040161185a565b600260649392933510156101765760843567ffffffffffffffff811161017657610adc903690600401611829565b60a49391933567ffffffffffffffff811161017657610aff903690600401611829565b949060c4359562ffffff871687036101765760e435926bffffffffffffffffffffffff8416840361017657610104359464ffffffffff861686036101765762ffffff891615610f445760243515610eff574264ffffffffff87161115610ee157610b7c6bffffffffffffffffffffffff861662ffffff8b166118ed565b335f52600260205260405f2054808211610eb35790610b9a9161190d565b335f52600260205260405f20555f54995f198b146107b55760018b015f5588604051610bd78161015d888a888a6020860198606435908b8b611ac6565b51902060405190610be7826117ea565b3382526bffffffffffffffffffffffff881660208301526001600160a01b038a16604083015264ffffffffff8916606083015262ffffff8c1660808301525f60a0830152600160c083015260243560e08301526101008201525f61012082015260018c015f52600360205260405f20906001600160a01b03808251161673ffffffffffffffffffffffffffffffffffffffff1983541617825560208101516001600160a01b0373ffffffffffffffffffffffffffffffffffffffff1984549260a01b1691161782556001600160a01b03806040830151161673ffffffffffffffffffffffffffffffffffffffff19600184015416176001830155606081015160018301547fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff78ffffffffff00000000000000000000000000000000000000007bffffff00000000000000000000000000000000000000000000000000608086015160c81b169360a01b16911617176001830155610d8962ffffff60a083015116600184019062ffffff60e01b1962ffffff60e01b83549260e01b169116179055565b60c081015160058110156104cf5760018301549060f81b7fff0000000000000000000000000000000000000000000000000000000000000016906001600160f81b031617600183015560e08101516002830155610100810151600383015561012001519060040155604051986024358a5260208a0161010090526101008a0190610e129261191a565b90610e2260408a01606435611a1d565b88820360608a0152610e3392611a2a565b908682036080880152610e4592611a67565b9462ffffff1660a08501526bffffffffffffffffffffffff1660c084015264ffffffffff1660e08301526001600160a01b0316913391806001860192037fe469f0c46ce3a86261cdb557c9215b97990f5256f7f2763b2faf045f854e879991a4604051906001018152602090f35b7fc0710ec8000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b64ffffffffff8663041f95d160e51b5f525f6004521660245260445ffd5b6064604051639656661b60e01b815260206004820152600d60248201527f6e6f2061707020646967657374000000000000000000000000000000000000006044820152fd5b6064604051639656661b60e01b815260206004820152600860248201527f6e6f207461736b730000000000000000000000000000000000000000000000006044820152fd5b34610176576020366003190112610176576001600160a01b03610faa61179c565b165f526002602052602060405f2054604051908152f35b3461017657610fcf36611888565b9091335f52600160205260405f2060ff815460e01c1615610285576001019267ffffffffffffffff8111610a055761100784546117b2565b601f8111611112575b505f93601f821160011461109057817fb61cbf7f51d2d2f6df39246fbd7af7e3232bf916a2f9ba15948fc2089865722594955f91611085575b508260011b905f198460031b1c19161790555b61092e61107660405193849360408552604085019161191a565b8281036020840152339561197d565b905083013586611049565b601f19821694815f5260205f20905f5b8781106110fa5750837fb61cbf7f51d2d2f6df39246fbd7af7e3232bf916a2f9ba15948fc208986572259697106110e1575b5050600182811b01905561105c565b8401355f19600385901b60f8161c1916905585806110d2565b909160206001819285890135815501930191016110a0565b845f5260205f20601f830160051c8101916020841061114d575b601f0160051c01905b8181106111425750611010565b5f8155600101611135565b909150819061112c565b34610176575f3660031901126101765760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b3461017657602036600319011261017657600435801561031a57335f52600260205260405f2054808211611286575f80836111e581856111d38598869861190d565b3386526002602052604086205561190d565b6040519082825260208201527f92ccf450a286a957af52509bc1c9939d1a6a481783e142e41e2499f0bb66ebc660403392a2335af13d15611281573d67ffffffffffffffff8111610a055760405190611248601f8201601f191660200183611807565b81525f60203d92013e5b1561125957005b7f90b8ec18000000000000000000000000000000000000000000000000000000005f5260045ffd5b611252565b7fcf479181000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b3461017657602036600319011261017657600435805f52600360205260405f206001600160a01b03815416330361146d57600181019081548060f81c6005811015806104cf57600182141580611460575b6114495764ffffffffff8360a01c1680421061141a57506104cf576002146113b8575b5062ffffff611370927f04000000000000000000000000000000000000000000000000000000000000006001600160f81b038254161781555460c81c16905460a01c906118ed565b90335f52600260205260405f20611388838254611900565b90556040519182527feca1263435904f38d1b4ea6e9e2a4b6e20b36eea473d0c434e9e06b43869bda260203393a3005b6001600160a01b03165f52600160205260405f209163ffffffff835460c01c165f19019063ffffffff82116107b55761141362ffffff92611370959063ffffffff60c01b1963ffffffff60c01b83549260c01b169116179055565b9250611328565b867f408b57fb000000000000000000000000000000000000000000000000000000005f5260045260245260445ffd5b610752828763a5d15e1f60e01b5f526004526118df565b50505f6002821415611305565b50630324e5e760e01b5f5260045260245ffd5b346101765760203660031901126101765760043567ffffffffffffffff8111610176576114b1903690600401611829565b90335f52600160205260405f209060ff825460e01c16156102855733918391905f5b83811015611604578060051b830135805f526003602052600160405f200180548060f81c60058110156104cf57600181036115ed57506001600160a01b03811680151590816115e2575b506115cf5760a01c64ffffffffff16428111156115b9575080546001600160f81b0388167effffffffffffffffffffff0000000000000000000000000000000000000000909116177f02000000000000000000000000000000000000000000000000000000000000001790556001919033907fa3a9d59445e437d97cac53692b666afef6c152b0642edd206bde8472f387e59a5f80a3016114d3565b8263041f95d160e51b5f5260045260245260445ffd5b82630324e5e760e01b5f5260045260245ffd5b90503314158961151d565b610752908463a5d15e1f60e01b5f526004526118df565b5063ffffffff831663ffffffff825460c01c160163ffffffff81116107b557815463ffffffff60c01b191660c09190911b63ffffffff60c01b16179055005b34610176575f3660031901126101765760205f54604051908152f35b34610176576020366003190112610176576001600160a01b0361168061179c565b165f52600160205260405f2090600182549201905f8254926116a1846117b2565b9081845260208401946001811690815f1461177f5750600114611742575b60ff60c08787876116d281890382611807565b60405194836fffffffffffffffffffffffffffffffff879516855267ffffffffffffffff8160801c16602086015263ffffffff81871c16604086015260e01c161515606084015260a060808401525180918160a08501528484015e5f828201840152601f01601f19168101030190f35b5f908152602081209092505b8183106117655750508101602001816116d26116bf565b60018160209294939454838588010152019101919061174e565b60ff191686525050151560051b82016020019050816116d26116bf565b600435906001600160a01b038216820361017657565b90600182811c921680156117e0575b60208310146117cc57565b634e487b7160e01b5f52602260045260245ffd5b91607f16916117c1565b610140810190811067ffffffffffffffff821117610a0557604052565b90601f8019910116810190811067ffffffffffffffff821117610a0557604052565b9181601f840112156101765782359167ffffffffffffffff8311610176576020808501948460051b01011161017657565b9181601f840112156101765782359167ffffffffffffffff8311610176576020838186019501011161017657565b60406003198201126101765760043567ffffffffffffffff811161017657816118b39160040161185a565b929092916024359067ffffffffffffffff82116101765760c09082900360031901126101765760040190565b60058110156104cf57602452565b818102929181159184041417156107b557565b919082018092116107b557565b919082039182116107b557565b908060209392818452848401375f828201840152601f01601f1916010190565b359063ffffffff8216820361017657565b9035601e198236030181121561017657016020813591019167ffffffffffffffff821161017657813603831361017657565b63ffffffff61198b8261193a565b16825263ffffffff61199f6020830161193a565b16602083015260408101359167ffffffffffffffff831680930361017657611a1a92604082015263ffffffff6119d76060840161193a565b166060820152611a0c611a016119f0608085018561194b565b60c0608086015260c085019161191a565b9260a081019061194b565b9160a081850391015261191a565b90565b9060028210156104cf5752565b90918281527f07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff83116101765760209260051b809284830137010190565b90602083828152019260208260051b82010193835f925b848410611a8e5750505050505090565b909192939495602080611ab6600193601f19868203018852611ab08b8861194b565b9061191a565b9801940194019294939190611a7e565b9593611af2611ae7611a1a999793611aff969560808b5260808b019161191a565b936020890190611a1d565b8683036040880152611a2a565b926060818503910152611a67565b3562ffffff81168103610176579056fea164736f6c634300081e000a",
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
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackInsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["InsufficientEscrow"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackInsufficientEscrowError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["NotProvider"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackNotProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["NotYourOrder"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackNotYourOrderError(raw[4:])
	}
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["ProviderBusy"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackProviderBusyError(raw[4:])
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
	if bytes.Equal(raw[:4], hearthMarket.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return hearthMarket.UnpackZeroAmountError(raw[4:])
	}
	return nil, errors.New("Unknown error")
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
