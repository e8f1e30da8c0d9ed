import ZooBench
import ZooCatalog

extension BenchJob {
    /// The job as the catalog keeps it.
    var record: BenchJobRecord {
        BenchJobRecord(
            id: id, model: model, modelPath: modelPath, coreSet: coreSet.description, batchSize: settings.batchSize,
            numCores: settings.cores, scenario: settings.scenario.rawValue, numStreams: settings.streams,
            seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, status: status.rawValue,
            submittedAt: submittedAt, startedAt: startedAt, finishedAt: finishedAt, result: result, error: error)
    }

    /// A job the catalog kept; nil for a record this daemon cannot read back (a status or scenario it does not know).
    init?(record: BenchJobRecord) {
        guard let status = Status(rawValue: record.status), let scenario = BenchmarkScenario(rawValue: record.scenario),
              let coreSet = try? CoreSet(parsing: record.coreSet)
        else { return nil }
        let settings = BenchmarkSettings(
            batchSize: record.batchSize, cores: record.numCores, scenario: scenario, streams: record.numStreams,
            seconds: record.seconds, warmupSeconds: record.warmupSeconds)
        self.init(
            id: record.id, model: record.model, modelPath: record.modelPath, coreSet: coreSet, settings: settings, status: status,
            submittedAt: record.submittedAt, startedAt: record.startedAt, finishedAt: record.finishedAt, result: record.result,
            error: record.error)
    }
}
