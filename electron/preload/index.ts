/** The preload: exposes the contract on window.envelock and does nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY } from '../../shared/ipc/contract.js';
import { buildBridge } from './bridge.js';

contextBridge.exposeInMainWorld(BRIDGE_KEY, buildBridge(ipcRenderer));
