extension KernelConfig {
    /// The indirect GEMM microkernel over output channels for `pixels` pixels (or Winograd tiles) and the pixels each
    /// call takes: `igemmc` and `igemmMR`, or `igemmc7` and 7 when 7-pixel slivers pad at least 10 % less (ResNet-50's
    /// 7×7 images and 28×28 layers' 49 Winograd tiles at batch 1: 7 slivers of 7, not 56 pixels in 7 of 8).
    func igemmcSlivers(pixels: Int) -> (mr: Int, kernel: IgemmcMicrokernel) {
        takesSlivers7(pixels) ? (7, igemmc7) : (igemmMR, igemmc)
    }

    /// The name of the kernel `igemmcSlivers` takes for `pixels` (for profiles).
    func igemmcName(pixels: Int) -> String { takesSlivers7(pixels) ? igemmc7Name : igemmcName }

    /// Whether 7-pixel slivers pad `pixels` at least 10 % less than slivers of `igemmMR`.
    private func takesSlivers7(_ pixels: Int) -> Bool {
        func padded(_ unit: Int) -> Int { (pixels + unit - 1) / unit * unit }
        return padded(7) * 10 < padded(igemmMR) * 9
    }
}
