import { runFileGroup } from '../support/file-group';

runFileGroup(__filename);
