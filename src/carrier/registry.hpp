// Transports register by protocol name (baresip's module registry is the model, issue 15): the
// configuration's `protocol` of each `[[sms.carriers]]` entry picks the factory. The carrier module
// registers its own transports ("log", and "smpp", "cmpp", "sgip", "smgp" as they land) in
// RegisterBuiltinTransports; a test may register more.
// Thread-safety: Register and Create may be called from any thread (a mutex guards the table).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "carrier/transport.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace hotline::carrier {

// What every transport is built from. The listener and clock outlive the transport; callbacks run on
// `executor` (a strand is fine).
struct TransportContext {
  boost::asio::any_io_executor executor;
  TransportListener& listener;
  const Clock& clock;
};

using TransportFactory = std::function<Result<std::unique_ptr<Transport>>(const CarrierOptions& options,
                                                                          const TransportContext& context)>;

class TransportRegistry {
 public:
  // Adds (or replaces) the factory for `protocol`.
  void Register(std::string protocol, TransportFactory factory);
  // Builds the transport for `options.protocol`; ErrorKind::kInvalidArgument `unknown_protocol` when no
  // factory has that name (the message lists the ones there are).
  Result<std::unique_ptr<Transport>> Create(const CarrierOptions& options,
                                            const TransportContext& context) const;
  std::vector<std::string> protocols() const;  // sorted

 private:
  mutable std::mutex mu_;
  std::map<std::string, TransportFactory> factories_;
};

// Registers every transport the carrier module ships.
void RegisterBuiltinTransports(TransportRegistry& registry);

}  // namespace hotline::carrier
