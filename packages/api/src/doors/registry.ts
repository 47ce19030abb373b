import { actionDoor } from './action';
import { DOOR_NAMES, type Door, type DoorName } from './core/types';
import { gatewayDoor } from './gateway';
import { gcuiDoor } from './gcui';
import { nativeDoor } from './native';
import { relayDoor } from './relay';

export function doorModule(name: DoorName): Door {
  switch (name) {
    case 'relay':
      return relayDoor;
    case 'native':
      return nativeDoor;
    case 'gateway':
      return gatewayDoor;
    case 'action':
      return actionDoor;
    case 'gcui':
      return gcuiDoor;
    default: {
      const unknown: never = name;
      throw new Error(`no door "${String(unknown)}"`);
    }
  }
}

export const DOORS: readonly Door[] = DOOR_NAMES.map(doorModule);

/** Most specific first: action's /suno/audios and native's /suno/feed and /suno/v2 are not the relay's /suno/*. */
const BY_SPECIFICITY: readonly DoorName[] = ['gateway', 'gcui', 'action', 'native', 'relay'];

/** The door a request path belongs to, if any. */
export const doorOfPath = (path: string): Door | undefined => BY_SPECIFICITY.map(doorModule).find((d) => d.owns(path));
