/// The kind of hardware an energy reading measures.
///
/// Domains are never added together: a sample's GPU counter belongs to
/// ``gpu``, its CPU counter to ``cpu`` and its DRAM counter to ``dram``.
/// Several sources of one domain (several GPUs, several CPU packages) add up.
public enum EnergyDomain: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Accelerators (`gpuEnergyJoules`, `gpuPowerWatts`).
    case gpu
    /// CPU packages (`cpuEnergyJoules`, `cpuPowerWatts`).
    case cpu
    /// Memory (`dramEnergyJoules`, `dramPowerWatts`).
    case dram

    private var order: Int {
        switch self {
        case .gpu: 0
        case .cpu: 1
        case .dram: 2
        }
    }

    /// Orders domains as gpu, cpu, dram.
    public static func < (lhs: EnergyDomain, rhs: EnergyDomain) -> Bool { lhs.order < rhs.order }
}
