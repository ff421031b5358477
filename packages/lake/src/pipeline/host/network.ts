/** Network names accepted by `network:` and the passphrases they stand for. */
const NETWORK_PASSPHRASES: Record<string, string> = {
  pubnet: 'Public Global Stellar Network ; September 2015',
  mainnet: 'Public Global Stellar Network ; September 2015',
  public: 'Public Global Stellar Network ; September 2015',
  testnet: 'Test SDF Network ; September 2015',
  futurenet: 'Test SDF Future Network ; October 2022',
  standalone: 'Standalone Network ; February 2017',
};

/** A network name or a passphrase itself. */
export function resolvePassphrase(network: string | undefined): string | undefined {
  if (network === undefined || network === '') return undefined;
  return NETWORK_PASSPHRASES[network.toLowerCase()] ?? network;
}
