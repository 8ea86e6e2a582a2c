import { useSharedCertificates } from './shared-certificates';

useSharedCertificates();
