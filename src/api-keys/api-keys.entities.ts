import { ApiKeyEntity } from './entities/api-key.entity';

export const API_KEY_ENTITIES = [ApiKeyEntity];
