#include "carrier/registry.hpp"

#include <fmt/format.h>

#include "carrier/log_transport.hpp"

namespace hotline::carrier {

void TransportRegistry::Register(std::string protocol, TransportFactory factory) {
  std::lock_guard lock(mu_);
  factories_[std::move(protocol)] = std::move(factory);
}

Result<std::unique_ptr<Transport>> TransportRegistry::Create(const CarrierOptions& options,
                                                             const TransportContext& context) const {
  TransportFactory factory;
  {
    std::lock_guard lock(mu_);
    auto it = factories_.find(options.protocol);
    if (it == factories_.end()) {
      std::string known;
      for (const auto& [name, f] : factories_) known += (known.empty() ? "" : ", ") + name;
      return Error::InvalidArgument(
          "unknown_protocol", fmt::format("carrier {}: unknown protocol \"{}\" (known: {})", options.name,
                                          options.protocol, known));
    }
    factory = it->second;
  }
  return factory(options, context);
}

std::vector<std::string> TransportRegistry::protocols() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, f] : factories_) out.push_back(name);
  return out;
}

void RegisterBuiltinTransports(TransportRegistry& registry) {
  registry.Register("log",
                    [](const CarrierOptions& options,
                       const TransportContext& context) -> Result<std::unique_ptr<Transport>> {
                      return std::unique_ptr<Transport>(std::make_unique<LogTransport>(options, context));
                    });
}

}  // namespace hotline::carrier
